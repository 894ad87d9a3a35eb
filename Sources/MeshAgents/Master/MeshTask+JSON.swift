import A2A
import Foundation

/// The JSON of the master's own records in Redis, written and read by hand.
///
/// The master encodes its task on every save and decodes it on every load, and Foundation's coders took a large
/// share of its CPU doing so. The output is the JSON the `Codable` conformances write (tests check both
/// directions), and `Codable` stays the fallback for anything the fast reader does not expect.
public enum MeshJSON {
    /// Encodes `value`: a ``MeshTask``, ``MeshTaskEvent``, list of ``MeshStepRecord`` or any other `JSONWritable`
    /// with ``JSONWriter``, anything else (or a value the writer refuses) with `JSONEncoder`.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let writable: (any JSONWritable)? =
            switch value {
            case let task as MeshTask: task
            case let event as MeshTaskEvent: event
            case let history as [MeshStepRecord]: StepRecords(records: history)
            case let writable as any JSONWritable: writable
            default: nil
            }
        if let writable, let data = try? writable.jsonData() { return data }
        return try encodeWithFoundation(value)
    }

    /// Encodes `value` through its `Codable` conformance only, as the master did before the fast path.
    public static func encodeWithFoundation<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Decodes a ``MeshTask`` or ``MeshTaskEvent`` with the fast reader, falling back to `JSONDecoder` (which
    /// also gives the error) when the reader does not take the document; other types go to `JSONDecoder`.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if type == MeshTask.self || type == MeshTaskEvent.self, let parsed = A2AJSON.fastParse(data) {
            if type == MeshTask.self, let task = try? MeshTask(parsed: parsed) as? T { return task }
            if type == MeshTaskEvent.self, let event = try? MeshTaskEvent(parsed: parsed) as? T { return event }
        }
        return try JSONDecoder().decode(type, from: data)
    }
}

extension MeshTask: JSONWritable {
    /// Writes the task as its `Codable` conformance does: optional members left out when nil.
    public func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("state")
        writer.string(state.rawValue)
        writer.key("input")
        writer.string(input)
        writer.optionalMember("pipeline", pipeline)
        writer.optionalMember("skill", skill)
        writer.key("contextId")
        writer.string(contextId)
        if let metadata {
            writer.key("metadata")
            JSONValue.object(metadata).write(to: &writer)
        }
        writer.optionalMember("webhook", webhook)
        writer.key("steps")
        writer.beginArray()
        for step in steps { writer.string(step) }
        writer.endArray()
        if let improve {
            writer.key("improve")
            writer.beginObject()
            writer.key("from")
            writer.string(improve.from)
            writer.key("to")
            writer.string(improve.to)
            writer.key("threshold")
            try writer.finite(improve.threshold)
            writer.key("maxRounds")
            writer.integer(improve.maxRounds)
            writer.endObject()
        }
        writer.key("stepIndex")
        writer.integer(stepIndex)
        writer.key("round")
        writer.integer(round)
        writer.key("attempt")
        writer.integer(attempt)
        writer.key("history")
        try StepRecords(records: history).write(to: &writer)
        writer.key("artifacts")
        writer.beginArray()
        for artifact in artifacts { artifact.write(to: &writer) }
        writer.endArray()
        writer.optionalMember("error", error)
        writer.key("deadLettered")
        writer.bool(deadLettered)
        writer.optionalMember("owner", owner)
        writer.optionalMember("traceParent", traceParent)
        writer.optionalMember("traceState", traceState)
        writer.key("createdAt")
        writer.string(createdAt.description)
        writer.key("updatedAt")
        writer.string(updatedAt.description)
        writer.endObject()
    }
}

extension MeshStepRecord: JSONWritable {
    /// Writes the record as its `Codable` conformance does: optional members left out when nil.
    public func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.key("skill")
        writer.string(skill)
        writer.key("round")
        writer.integer(round)
        writer.key("attempt")
        writer.integer(attempt)
        writer.optionalMember("agent", agent)
        writer.optionalMember("agentURL", agentURL)
        writer.optionalMember("taskId", taskId)
        writer.key("state")
        writer.string(state.rawValue)
        writer.key("startedAt")
        writer.string(startedAt.description)
        if let endedAt {
            writer.key("endedAt")
            writer.string(endedAt.description)
        }
        writer.optionalMember("error", error)
        if let score {
            writer.key("score")
            try writer.finite(score)
        }
        writer.optionalMember("summary", summary)
        writer.endObject()
    }
}

extension MeshTaskEvent: JSONWritable {
    /// Writes the event as its `Codable` conformance does: optional members left out when nil.
    public func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.key("type")
        writer.string(type.rawValue)
        writer.key("taskId")
        writer.string(taskId)
        writer.key("state")
        writer.string(state.rawValue)
        writer.optionalMember("skill", skill)
        writer.optionalMember("agent", agent)
        if let attempt {
            writer.key("attempt")
            writer.integer(attempt)
        }
        if let round {
            writer.key("round")
            writer.integer(round)
        }
        if let score {
            writer.key("score")
            try writer.finite(score)
        }
        writer.optionalMember("message", message)
        writer.key("progress")
        try writer.finite(progress)
        writer.key("time")
        writer.string(time.description)
        writer.endObject()
    }
}

/// A task's history as a JSON array (the dead-letter entry carries it on its own).
private struct StepRecords: JSONWritable {
    var records: [MeshStepRecord]

    func write(to writer: inout JSONWriter) throws {
        writer.beginArray()
        for record in records { try record.write(to: &writer) }
        writer.endArray()
    }
}

extension JSONWriter {
    /// `JSONEncoder` refuses NaN and the infinities where ``JSONWriter/number(_:)`` writes `null`; refusing too
    /// sends the value to the fallback, which then throws the error it always did.
    fileprivate mutating func finite(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: "\(value) is not valid in JSON"))
        }
        number(value)
    }
}
