import A2A

extension A2ARequestHandler {
    /// Checks a SendMessage request before anything changes.
    func validate(_ request: SendMessageRequest) throws {
        let message = request.message
        if message.messageId.isEmpty {
            throw A2AError.invalidParams("message.messageId must not be empty", field: "message.messageId")
        }
        if message.role != .user {
            throw A2AError.invalidParams(
                "message.role must be ROLE_USER for a message sent to an agent, got \(message.role.rawValue)",
                field: "message.role")
        }
        if message.parts.isEmpty {
            throw A2AError.invalidParams("message.parts must hold at least one part", field: "message.parts")
        }
        if message.parts.count > limits.maxParts {
            throw A2AError.invalidParams(
                "message.parts holds \(message.parts.count) parts; the limit (maxParts) is \(limits.maxParts)",
                field: "message.parts")
        }
        for (index, part) in message.parts.enumerated() {
            let size = part.contentBytes
            if size > limits.maxPartBytes {
                throw A2AError.invalidParams(
                    "message.parts[\(index)] is \(size) bytes; the limit (maxPartBytes) is \(limits.maxPartBytes)",
                    field: "message.parts[\(index)]")
            }
        }
        if let length = request.configuration?.historyLength, length < 0 {
            throw A2AError.invalidParams(
                "configuration.historyLength must be 0 or more, got \(length)", field: "configuration.historyLength")
        }
        if let config = request.configuration?.taskPushNotificationConfig {
            guard supportsPush else {
                throw A2AError(
                    .pushNotificationNotSupported,
                    "this agent does not support push notifications (capabilities.pushNotifications is false)")
            }
            try Self.validateWebhook(config.url, field: "configuration.taskPushNotificationConfig.url")
        }
        for (index, part) in message.parts.enumerated() {
            if let mediaType = part.mediaType, !accepts(mediaType: mediaType) {
                throw A2AError(
                    .contentTypeNotSupported,
                    "message.parts[\(index)] has media type '\(mediaType)'; this agent accepts \(acceptedInputModes.joined(separator: ", "))",
                    metadata: ["mediaType": mediaType])
            }
        }
    }

    private var acceptedInputModes: [String] {
        card.defaultInputModes + card.skills.flatMap { $0.inputModes ?? [] }
    }

    /// True when a part of this media type is accepted by the card's input modes.
    func accepts(mediaType: String) -> Bool {
        let modes = acceptedInputModes
        if modes.isEmpty { return true }
        let type =
            mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        let major = type.split(separator: "/").first.map(String.init) ?? type
        return modes.contains { mode in
            let mode = mode.lowercased()
            return mode == type || mode == "*/*" || mode == "\(major)/*" || mode == major
        }
    }
}

extension Part {
    /// The size of the part's content: text or URL in UTF-8, raw bytes, or data as encoded JSON.
    var contentBytes: Int {
        switch content {
        case .text(let text): text.utf8.count
        case .url(let url): url.utf8.count
        case .raw(let bytes): bytes.count
        case .data(let value): (try? A2AJSON.encode(value).count) ?? 0
        }
    }
}
