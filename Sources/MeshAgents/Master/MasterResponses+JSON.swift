import A2A

// The two answers every task gets (`POST /task` 202 and `GET /result`), written without `JSONEncoder`; the
// members and their omission when nil are those of the synthesized `Encodable`.

extension TaskResult: JSONWritable {
    public func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("state")
        writer.string(state.rawValue)
        writer.key("contextId")
        writer.string(contextId)
        writer.key("artifacts")
        writer.beginArray()
        for artifact in artifacts { artifact.write(to: &writer) }
        writer.endArray()
        writer.optionalMember("error", error)
        writer.optionalMember("traceId", traceId)
        writer.endObject()
    }
}

extension MasterRoutes.Accepted: JSONWritable {
    func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("state")
        writer.string(state.rawValue)
        writer.optionalMember("pipeline", pipeline)
        writer.optionalMember("skill", skill)
        writer.key("contextId")
        writer.string(contextId)
        writer.key("links")
        writer.beginObject()
        writer.key("self")
        writer.string(links.task)
        writer.key("events")
        writer.string(links.events)
        writer.key("result")
        writer.string(links.result)
        writer.key("cancel")
        writer.string(links.cancel)
        writer.endObject()
        writer.optionalMember("traceId", traceId)
        writer.endObject()
    }
}
