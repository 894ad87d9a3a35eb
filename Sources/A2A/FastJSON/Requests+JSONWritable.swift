/// The request a client sends most, written without `JSONEncoder` (the master sends one per step).
extension JSONRPCRequest: JSONWritable {
    public func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.key("jsonrpc")
        writer.string(jsonrpc)
        writer.key("id")
        id.write(to: &writer)
        writer.key("method")
        writer.string(method)
        if let params {
            writer.key("params")
            try writer.encodable(params)
        }
        writer.endObject()
    }
}

extension SendMessageRequest: JSONWritable {
    public func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.optionalMember("tenant", tenant)
        writer.key("message")
        message.write(to: &writer)
        if let configuration {
            writer.key("configuration")
            try writer.encodable(configuration)
        }
        if let metadata {
            writer.key("metadata")
            writeObject(metadata, to: &writer)
        }
        writer.endObject()
    }
}
