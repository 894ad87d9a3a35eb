import Foundation

// Reading the response types from a ``ParsedJSON``: what the client decodes from workers' answers
// and stream events. Each reader walks its members once and mirrors its type's `init(from:)`
// (camelCase and the proto's snake_case names, defaults, `null` as absent); anything else throws
// ``FastPathRefusal`` and ``A2AJSON/decode(_:from:)`` falls back to `Codable`.

extension Part: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var content: Content?
        var contents = 0
        var metadata: JSONObject?
        var filename: String?
        var mediaType: String?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "text":
                try seen.mark(0)
                if let text = try value.optionalStringValue() { (content, contents) = (.text(text), contents + 1) }
            case "raw":
                try seen.mark(1)
                if let raw = try value.optionalStringValue() {
                    guard let bytes = Data(base64Encoded: raw) ?? Data(base64URLEncoded: raw) else {
                        throw FastPathRefusal()
                    }
                    (content, contents) = (.raw(bytes), contents + 1)
                }
            case "url":
                try seen.mark(2)
                if let url = try value.optionalStringValue() { (content, contents) = (.url(url), contents + 1) }
            case "data":
                // `contains(.data)` is true for `null` too, which decodes as `JSONValue.null`.
                try seen.mark(3)
                (content, contents) = (.data(try value.strictJSONValue()), contents + 1)
            case "metadata": try seen.mark(4); metadata = try value.objectValue()
            case "filename": try seen.mark(5); filename = try value.nonEmptyStringValue()
            case "mediaType", "media_type": try seen.mark(6); mediaType = try value.nonEmptyStringValue()
            default: try skipUnknown(key)
            }
        }
        guard contents == 1, let content else { throw FastPathRefusal() }
        self.init(content, metadata: metadata, filename: filename, mediaType: mediaType)
    }
}

extension Message: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var messageId: String?
        var contextId: String?
        var taskId: String?
        var role: Role?
        var parts: [Part]?
        var metadata: JSONObject?
        var extensions: [String]?
        var referenceTaskIds: [String]?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "messageId", "message_id": try seen.mark(0); messageId = try value.stringValue()
            case "contextId", "context_id": try seen.mark(1); contextId = try value.nonEmptyStringValue()
            case "taskId", "task_id": try seen.mark(2); taskId = try value.nonEmptyStringValue()
            case "role":
                // The enum's number is also valid ProtoJSON; that rare form is left to `Codable`.
                try seen.mark(3)
                guard let known = Role(rawValue: try value.stringValue()) else { throw FastPathRefusal() }
                role = known
            case "parts": try seen.mark(4); parts = try value.listValue(Part.init(fastParsed:))
            case "metadata": try seen.mark(5); metadata = try value.objectValue()
            case "extensions": try seen.mark(6); extensions = try value.stringsValue()
            case "referenceTaskIds", "reference_task_ids": try seen.mark(7); referenceTaskIds = try value.stringsValue()
            default: try skipUnknown(key)
            }
        }
        guard let messageId, let role else { throw FastPathRefusal() }
        self.init(
            messageId: messageId, contextId: contextId, taskId: taskId, role: role, parts: parts ?? [],
            metadata: metadata, extensions: extensions, referenceTaskIds: referenceTaskIds)
    }
}

extension TaskStatus: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var state: TaskState?
        var message: Message?
        var timestamp: Timestamp?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "state":
                try seen.mark(0)
                guard let known = TaskState(rawValue: try value.stringValue()) else { throw FastPathRefusal() }
                state = known
            case "message":
                try seen.mark(1)
                if case .null = value { break }
                message = try Message(fastParsed: value)
            case "timestamp": try seen.mark(2); timestamp = try value.timestampValue()
            default: try skipUnknown(key)
            }
        }
        guard let state else { throw FastPathRefusal() }
        self.init(state: state, message: message, timestamp: timestamp)
    }
}

extension Artifact: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var artifactId: String?
        var name: String?
        var description: String?
        var parts: [Part]?
        var metadata: JSONObject?
        var extensions: [String]?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "artifactId", "artifact_id": try seen.mark(0); artifactId = try value.stringValue()
            case "name": try seen.mark(1); name = try value.nonEmptyStringValue()
            case "description": try seen.mark(2); description = try value.nonEmptyStringValue()
            case "parts": try seen.mark(3); parts = try value.listValue(Part.init(fastParsed:))
            case "metadata": try seen.mark(4); metadata = try value.objectValue()
            case "extensions": try seen.mark(5); extensions = try value.stringsValue()
            default: try skipUnknown(key)
            }
        }
        guard let artifactId else { throw FastPathRefusal() }
        self.init(
            artifactId: artifactId, name: name, description: description, parts: parts ?? [], metadata: metadata,
            extensions: extensions)
    }
}

extension A2ATask: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var id: String?
        var contextId: String?
        var status: TaskStatus?
        var artifacts: [Artifact]?
        var history: [Message]?
        var metadata: JSONObject?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "id": try seen.mark(0); id = try value.stringValue()
            case "contextId", "context_id": try seen.mark(1); contextId = try value.optionalStringValue()
            case "status": try seen.mark(2); status = try TaskStatus(fastParsed: value)
            case "artifacts": try seen.mark(3); artifacts = try value.listValue(Artifact.init(fastParsed:))
            case "history": try seen.mark(4); history = try value.listValue(Message.init(fastParsed:))
            case "metadata": try seen.mark(5); metadata = try value.objectValue()
            default: try skipUnknown(key)
            }
        }
        guard let id, let status else { throw FastPathRefusal() }
        self.init(
            id: id, contextId: contextId ?? "", status: status, artifacts: artifacts, history: history,
            metadata: metadata)
    }
}

extension TaskStatusUpdateEvent: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var taskId: String?
        var contextId: String?
        var status: TaskStatus?
        var metadata: JSONObject?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "taskId", "task_id": try seen.mark(0); taskId = try value.stringValue()
            // Required here (synthesized `Codable`), unlike in a task or an artifact update.
            case "contextId", "context_id": try seen.mark(1); contextId = try value.stringValue()
            case "status": try seen.mark(2); status = try TaskStatus(fastParsed: value)
            case "metadata": try seen.mark(3); metadata = try value.objectValue()
            default: try skipUnknown(key)
            }
        }
        guard let taskId, let contextId, let status else { throw FastPathRefusal() }
        self.init(taskId: taskId, contextId: contextId, status: status, metadata: metadata)
    }
}

extension TaskArtifactUpdateEvent: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var taskId: String?
        var contextId: String?
        var artifact: Artifact?
        var append: Bool?
        var lastChunk: Bool?
        var metadata: JSONObject?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "taskId", "task_id": try seen.mark(0); taskId = try value.stringValue()
            case "contextId", "context_id": try seen.mark(1); contextId = try value.optionalStringValue()
            case "artifact": try seen.mark(2); artifact = try Artifact(fastParsed: value)
            case "append": try seen.mark(3); append = try value.boolValue()
            case "lastChunk", "last_chunk": try seen.mark(4); lastChunk = try value.boolValue()
            case "metadata": try seen.mark(5); metadata = try value.objectValue()
            default: try skipUnknown(key)
            }
        }
        guard let taskId, let artifact else { throw FastPathRefusal() }
        self.init(
            taskId: taskId, contextId: contextId ?? "", artifact: artifact, append: append ?? false,
            lastChunk: lastChunk ?? false, metadata: metadata)
    }
}

extension StreamResponse: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var payload: StreamResponse?
        for (key, value) in try parsed.objectMembers() {
            // Exactly one payload member, as `allKeys` counts it: a `null` one counts and then fails.
            switch key {
            case "task": try seen.mark(0); payload = .task(try A2ATask(fastParsed: value))
            case "message": try seen.mark(1); payload = .message(try Message(fastParsed: value))
            case "statusUpdate", "status_update":
                try seen.mark(2)
                payload = .statusUpdate(try TaskStatusUpdateEvent(fastParsed: value))
            case "artifactUpdate", "artifact_update":
                try seen.mark(3)
                payload = .artifactUpdate(try TaskArtifactUpdateEvent(fastParsed: value))
            default: try skipUnknown(key)
            }
            if seen.count > 1 { throw FastPathRefusal() }
        }
        guard let payload else { throw FastPathRefusal() }
        self = payload
    }
}

extension SendMessageResponse: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        switch try StreamResponse(fastParsed: parsed) {
        case .task(let task): self = .task(task)
        case .message(let message): self = .message(message)
        case .statusUpdate, .artifactUpdate: throw FastPathRefusal()
        }
    }
}

extension JSONRPCID: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        switch parsed {
        case .null: self = .null
        case .string(let text): self = .string(text)
        // Beyond 2^53 the parsed double may not be the integer that was sent.
        case .number(let value) where abs(value) < 9_007_199_254_740_992:
            guard let integer = Int64(exactly: value) else { throw FastPathRefusal() }
            self = .number(integer)
        default: throw FastPathRefusal()
        }
    }
}

extension JSONRPCResponse: FastDecodable where Result: FastDecodable {
    init(fastParsed parsed: ParsedJSON) throws(FastPathRefusal) {
        var seen = SeenFields()
        var jsonrpc: String?
        var id = JSONRPCID.null
        var result: Result?
        for (key, value) in try parsed.objectMembers() {
            switch key {
            case "jsonrpc": try seen.mark(0); jsonrpc = try value.optionalStringValue()
            case "id": try seen.mark(1); id = try JSONRPCID(fastParsed: value)
            case "result":
                try seen.mark(2)
                if case .null = value { break }
                result = try Result(fastParsed: value)
            case "error":
                // Errors are rare; `Codable` reads them.
                try seen.mark(3)
                guard case .null = value else { throw FastPathRefusal() }
            default: try skipUnknown(key)
            }
        }
        self.jsonrpc = jsonrpc ?? "2.0"
        self.id = id
        self.result = result
        self.error = nil
    }
}
