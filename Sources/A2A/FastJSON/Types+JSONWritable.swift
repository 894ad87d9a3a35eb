import Foundation

extension JSONValue: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .number(let value): writer.number(value)
        case .string(let value): writer.string(value)
        case .array(let values):
            writer.beginArray()
            for value in values { value.write(to: &writer) }
            writer.endArray()
        case .object(let object): writeObject(object, to: &writer)
        }
    }
}

func writeObject(_ object: JSONObject, to writer: inout JSONWriter) {
    writer.beginObject()
    for (key, value) in object {
        writer.key(key)
        value.write(to: &writer)
    }
    writer.endObject()
}

extension JSONWriter {
    mutating func optional(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    mutating func strings(_ name: StaticString, _ values: [String]?) {
        guard let values, !values.isEmpty else { return }
        key(name)
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    mutating func metadata(_ name: StaticString, _ value: JSONObject?) {
        guard let value else { return }
        key(name)
        writeObject(value, to: &self)
    }

    mutating func list<T: JSONWritable>(_ name: StaticString, _ values: [T]) throws {
        key(name)
        beginArray()
        for value in values { try value.write(to: &self) }
        endArray()
    }
}

extension Part: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch content {
        case .text(let text):
            writer.key("text")
            writer.string(text)
        case .raw(let bytes):
            writer.key("raw")
            writer.string(bytes.base64EncodedString())
        case .url(let url):
            writer.key("url")
            writer.string(url)
        case .data(let value):
            writer.key("data")
            value.write(to: &writer)
        }
        writer.metadata("metadata", metadata)
        writer.optional("filename", filename)
        writer.optional("mediaType", mediaType)
        writer.endObject()
    }
}

extension Message: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("messageId")
        writer.string(messageId)
        writer.optional("contextId", contextId)
        writer.optional("taskId", taskId)
        writer.key("role")
        writer.string(role.rawValue)
        writer.key("parts")
        writer.beginArray()
        for part in parts { part.write(to: &writer) }
        writer.endArray()
        writer.metadata("metadata", metadata)
        writer.strings("extensions", extensions)
        writer.strings("referenceTaskIds", referenceTaskIds)
        writer.endObject()
    }
}

extension TaskStatus: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("state")
        writer.string(state.rawValue)
        if let message {
            writer.key("message")
            message.write(to: &writer)
        }
        if let timestamp {
            writer.key("timestamp")
            writer.string(timestamp.description)
        }
        writer.endObject()
    }
}

extension Artifact: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("artifactId")
        writer.string(artifactId)
        writer.optional("name", name)
        writer.optional("description", description)
        writer.key("parts")
        writer.beginArray()
        for part in parts { part.write(to: &writer) }
        writer.endArray()
        writer.metadata("metadata", metadata)
        writer.strings("extensions", extensions)
        writer.endObject()
    }
}

extension A2ATask: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("contextId")
        writer.string(contextId)
        writer.key("status")
        status.write(to: &writer)
        if let artifacts {
            writer.key("artifacts")
            writer.beginArray()
            for artifact in artifacts { artifact.write(to: &writer) }
            writer.endArray()
        }
        if let history, !history.isEmpty {
            writer.key("history")
            writer.beginArray()
            for message in history { message.write(to: &writer) }
            writer.endArray()
        }
        writer.metadata("metadata", metadata)
        writer.endObject()
    }
}

extension TaskStatusUpdateEvent: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("taskId")
        writer.string(taskId)
        writer.key("contextId")
        writer.string(contextId)
        writer.key("status")
        status.write(to: &writer)
        writer.metadata("metadata", metadata)
        writer.endObject()
    }
}

extension TaskArtifactUpdateEvent: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("taskId")
        writer.string(taskId)
        writer.key("contextId")
        writer.string(contextId)
        writer.key("artifact")
        artifact.write(to: &writer)
        if append {
            writer.key("append")
            writer.bool(true)
        }
        if lastChunk {
            writer.key("lastChunk")
            writer.bool(true)
        }
        writer.metadata("metadata", metadata)
        writer.endObject()
    }
}

extension StreamResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        switch self {
        case .task(let task):
            writer.key("task")
            task.write(to: &writer)
        case .message(let message):
            writer.key("message")
            message.write(to: &writer)
        case .statusUpdate(let event):
            writer.key("statusUpdate")
            event.write(to: &writer)
        case .artifactUpdate(let event):
            writer.key("artifactUpdate")
            event.write(to: &writer)
        }
        writer.endObject()
    }
}

extension SendMessageResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .task(let task): StreamResponse.task(task).write(to: &writer)
        case .message(let message): StreamResponse.message(message).write(to: &writer)
        }
    }
}

extension JSONRPCID: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .string(let value): writer.string(value)
        case .number(let value): writer.integer(value)
        case .null: writer.null()
        }
    }
}

extension JSONRPCResponse: JSONWritable {
    public func write(to writer: inout JSONWriter) throws {
        writer.beginObject()
        writer.key("jsonrpc")
        writer.string(jsonrpc)
        writer.key("id")
        id.write(to: &writer)
        if let error {
            writer.key("error")
            try writer.encodable(error)
        } else if let result {
            writer.key("result")
            try writer.encodable(result)
        } else {
            writer.key("result")
            writer.null()
        }
        writer.endObject()
    }
}
