import Foundation

/// Reading the SendMessage request shapes from a ``ParsedJSON`` (the fast path of the server).
///
/// Any surprise throws ``FastPathRefusal`` and the caller decodes with `Codable`, which also
/// produces the precise error message; so this only has to be right for well-formed requests.
extension ParsedJSON {
    func requiredString(_ name: String, _ alternate: String? = nil) throws(FastPathRefusal) -> String {
        guard case .string(let value)? = member(name, alternate) else { throw FastPathRefusal() }
        return value
    }

    func optionalString(_ name: String, _ alternate: String? = nil) throws(FastPathRefusal) -> String? {
        guard let value = member(name, alternate) else { return nil }
        guard case .string(let text) = value else { throw FastPathRefusal() }
        return text
    }

    /// An optional string where the ProtoJSON default `""` means absent.
    func nonEmptyString(_ name: String, _ alternate: String? = nil) throws(FastPathRefusal) -> String? {
        guard let text = try optionalString(name, alternate), !text.isEmpty else { return nil }
        return text
    }

    func strings(_ name: String, _ alternate: String? = nil) throws(FastPathRefusal) -> [String]? {
        guard let value = member(name, alternate) else { return nil }
        guard case .array(let elements) = value else { throw FastPathRefusal() }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw FastPathRefusal() }
            result.append(text)
        }
        return result
    }

    func object(_ name: String) throws(FastPathRefusal) -> JSONObject? {
        guard let value = member(name) else { return nil }
        guard case .object = value else { throw FastPathRefusal() }
        return try value.objectValue()
    }

    /// This object, refused unless its member names are distinct (see ``hasDistinctNames``).
    func strictObject() throws(FastPathRefusal) -> ParsedJSON {
        guard hasDistinctNames else { throw FastPathRefusal() }
        return self
    }

    func int32(_ name: String, _ alternate: String) throws(FastPathRefusal) -> Int32? {
        switch member(name, alternate) {
        case nil: return nil
        case .number(let value)?:
            guard value.rounded() == value, let exact = Int32(exactly: value) else { throw FastPathRefusal() }
            return exact
        case .string(let text)?:
            guard let value = Int32(text) else { throw FastPathRefusal() }
            return value
        default: throw FastPathRefusal()
        }
    }

    func bool(_ name: String, _ alternate: String) throws(FastPathRefusal) -> Bool? {
        switch member(name, alternate) {
        case nil: return nil
        case .bool(let value)?: return value
        case .string("true")?: return true
        case .string("false")?: return false
        default: throw FastPathRefusal()
        }
    }
}

extension Part {
    init(parsed: ParsedJSON) throws(FastPathRefusal) {
        guard case .object(let members) = try parsed.strictObject() else { throw FastPathRefusal() }
        var found: Content?
        var count = 0
        for (key, value) in members {
            switch (key, value) {
            case ("text", .string(let text)): found = .text(text); count += 1
            case ("url", .string(let url)): found = .url(url); count += 1
            case ("raw", .string(let raw)):
                guard let bytes = Data(base64Encoded: raw) ?? Data(base64URLEncoded: raw) else {
                    throw FastPathRefusal()
                }
                found = .raw(bytes)
                count += 1
            case ("data", let data): found = .data(try data.strictJSONValue()); count += 1
            case ("text", .null), ("url", .null), ("raw", .null): break
            case ("text", _), ("url", _), ("raw", _): throw FastPathRefusal()
            default: break
            }
        }
        guard count == 1, let content = found else { throw FastPathRefusal() }
        self.init(
            content, metadata: try parsed.object("metadata"), filename: try parsed.nonEmptyString("filename"),
            mediaType: try parsed.nonEmptyString("mediaType", "media_type"))
    }
}

extension Message {
    init(parsed: ParsedJSON) throws(FastPathRefusal) {
        guard parsed.isObject, parsed.hasDistinctNames else { throw FastPathRefusal() }
        let role: Role
        switch parsed.member("role") {
        case .string(let name)?:
            guard let value = Role(rawValue: name) else { throw FastPathRefusal() }
            role = value
        default: throw FastPathRefusal()
        }
        var parts: [Part] = []
        switch parsed.member("parts") {
        case nil: break
        case .array(let elements)?:
            parts.reserveCapacity(elements.count)
            for element in elements { parts.append(try Part(parsed: element)) }
        default: throw FastPathRefusal()
        }
        self.init(
            messageId: try parsed.requiredString("messageId", "message_id"),
            contextId: try parsed.nonEmptyString("contextId", "context_id"),
            taskId: try parsed.nonEmptyString("taskId", "task_id"), role: role, parts: parts,
            metadata: try parsed.object("metadata"), extensions: try parsed.strings("extensions"),
            referenceTaskIds: try parsed.strings("referenceTaskIds", "reference_task_ids"))
    }
}

extension TaskPushNotificationConfig {
    init(parsed: ParsedJSON) throws(FastPathRefusal) {
        guard parsed.isObject, parsed.hasDistinctNames else { throw FastPathRefusal() }
        var authentication: AuthenticationInfo?
        if let auth = parsed.member("authentication") {
            guard auth.isObject, auth.hasDistinctNames else { throw FastPathRefusal() }
            authentication = AuthenticationInfo(
                scheme: try auth.requiredString("scheme"), credentials: try auth.optionalString("credentials"))
        }
        self.init(
            tenant: try parsed.nonEmptyString("tenant"), id: try parsed.nonEmptyString("id"),
            taskId: try parsed.nonEmptyString("taskId", "task_id"), url: try parsed.requiredString("url"),
            token: try parsed.nonEmptyString("token"), authentication: authentication)
    }
}

extension SendMessageRequest {
    /// Reads the params of SendMessage / SendStreamingMessage.
    public init(parsed: ParsedJSON) throws {
        guard parsed.isObject, parsed.hasDistinctNames, let message = parsed.member("message") else {
            throw FastPathRefusal()
        }
        var configuration: SendMessageConfiguration?
        if let config = parsed.member("configuration") {
            guard config.isObject, config.hasDistinctNames else { throw FastPathRefusal() }
            configuration = SendMessageConfiguration(
                acceptedOutputModes: try config.strings("acceptedOutputModes", "accepted_output_modes"),
                taskPushNotificationConfig: try config.member(
                    "taskPushNotificationConfig", "task_push_notification_config"
                ).map { config throws(FastPathRefusal) in try TaskPushNotificationConfig(parsed: config) },
                historyLength: try config.int32("historyLength", "history_length"),
                returnImmediately: try config.bool("returnImmediately", "return_immediately") ?? false)
        }
        self.init(
            tenant: try parsed.optionalString("tenant"), message: try Message(parsed: message),
            configuration: configuration, metadata: try parsed.object("metadata"))
    }
}
