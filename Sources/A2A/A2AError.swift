/// An A2A protocol error, as defined in sections 3.3.2, 5.4 and 9.5 of the specification.
public struct A2AError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, which fixes the JSON-RPC code, HTTP status and `ErrorInfo.reason`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case parseError, invalidRequest, methodNotFound, invalidParams, internalError
        case taskNotFound, taskNotCancelable, pushNotificationNotSupported, unsupportedOperation
        case contentTypeNotSupported, invalidAgentResponse, extendedAgentCardNotConfigured
        case extensionSupportRequired, versionNotSupported

        /// The JSON-RPC error code.
        public var code: Int {
            switch self {
            case .parseError: -32700
            case .invalidRequest: -32600
            case .methodNotFound: -32601
            case .invalidParams: -32602
            case .internalError: -32603
            case .taskNotFound: -32001
            case .taskNotCancelable: -32002
            case .pushNotificationNotSupported: -32003
            case .unsupportedOperation: -32004
            case .contentTypeNotSupported: -32005
            case .invalidAgentResponse: -32006
            case .extendedAgentCardNotConfigured: -32007
            case .extensionSupportRequired: -32008
            case .versionNotSupported: -32009
            }
        }

        /// The HTTP status of the HTTP+JSON binding.
        public var httpStatus: Int {
            switch self {
            case .taskNotFound, .methodNotFound: 404
            case .internalError, .invalidAgentResponse: 500
            default: 400
            }
        }

        /// The `google.rpc.Code` name that goes with the HTTP status.
        public var statusName: String {
            switch self {
            case .taskNotFound, .methodNotFound: "NOT_FOUND"
            case .internalError, .invalidAgentResponse: "INTERNAL"
            case .parseError, .invalidRequest, .invalidParams, .contentTypeNotSupported: "INVALID_ARGUMENT"
            default: "FAILED_PRECONDITION"
            }
        }

        /// The `ErrorInfo.reason` for A2A-specific errors; `nil` for the generic JSON-RPC ones.
        public var reason: String? {
            switch self {
            case .taskNotFound: "TASK_NOT_FOUND"
            case .taskNotCancelable: "TASK_NOT_CANCELABLE"
            case .pushNotificationNotSupported: "PUSH_NOTIFICATION_NOT_SUPPORTED"
            case .unsupportedOperation: "UNSUPPORTED_OPERATION"
            case .contentTypeNotSupported: "CONTENT_TYPE_NOT_SUPPORTED"
            case .invalidAgentResponse: "INVALID_AGENT_RESPONSE"
            case .extendedAgentCardNotConfigured: "EXTENDED_AGENT_CARD_NOT_CONFIGURED"
            case .extensionSupportRequired: "EXTENSION_SUPPORT_REQUIRED"
            case .versionNotSupported: "VERSION_NOT_SUPPORTED"
            default: nil
            }
        }

        /// The kind for a JSON-RPC error code, if it is one of the spec's.
        public init?(code: Int) {
            guard let kind = Kind.allCases.first(where: { $0.code == code }) else { return nil }
            self = kind
        }

        /// The kind for an `ErrorInfo.reason`, if it is one of the spec's.
        public init?(reason: String) {
            guard let kind = Kind.allCases.first(where: { $0.reason == reason }) else { return nil }
            self = kind
        }
    }

    public var kind: Kind
    /// A human-readable sentence that says what was wrong.
    public var message: String
    /// Context for `ErrorInfo.metadata` (e.g. the task id).
    public var metadata: [String: String]
    /// Extra detail objects (each with `@type`), such as `google.rpc.BadRequest`.
    public var extraDetails: [JSONValue]

    public init(_ kind: Kind, _ message: String, metadata: [String: String] = [:], extraDetails: [JSONValue] = []) {
        self.kind = kind
        self.message = message
        self.metadata = metadata
        self.extraDetails = extraDetails
    }

    public var code: Int { kind.code }

    public var description: String { "\(kind.rawValue) (\(kind.code)): \(message)" }

    /// The detail objects: an `ErrorInfo` for A2A-specific errors, then any extra details.
    public var details: [JSONValue] {
        var details = extraDetails
        if let reason = kind.reason {
            let info: JSONValue = [
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": .string(reason),
                "domain": .string(A2AProtocol.errorDomain),
                "metadata": .object(metadata.mapValues { .string($0) }),
            ]
            details.insert(info, at: 0)
        }
        return details
    }
}

extension A2AError {
    public static func taskNotFound(_ id: String) -> A2AError {
        A2AError(.taskNotFound, "Task not found: \(id)", metadata: ["taskId": id])
    }

    public static func invalidParams(_ message: String, field: String? = nil) -> A2AError {
        var extra: [JSONValue] = []
        if let field {
            extra.append([
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [["field": .string(field), "description": .string(message)]],
            ])
        }
        return A2AError(.invalidParams, message, extraDetails: extra)
    }

    public static func versionNotSupported(_ version: String) -> A2AError {
        A2AError(
            .versionNotSupported,
            "A2A version '\(version)' is not supported; supported versions: \(A2AProtocol.supportedVersions.joined(separator: ", ")). Send the header 'A2A-Version: \(A2AProtocol.version)'.",
            metadata: ["requestedVersion": version, "supportedVersions": A2AProtocol.supportedVersions.joined(separator: ",")])
    }

    /// Rebuilds an error from a JSON-RPC error object or an HTTP+JSON `google.rpc.Status`.
    public init(code: Int, message: String, details: [JSONValue]?) {
        let reason = details?.lazy.compactMap { $0.objectValue?["reason"]?.stringValue }.first
        let kind = reason.flatMap(Kind.init(reason:)) ?? Kind(code: code) ?? .internalError
        var metadata: [String: String] = [:]
        var extra: [JSONValue] = []
        for detail in details ?? [] {
            if detail.objectValue?["reason"] != nil, let values = detail.objectValue?["metadata"]?.objectValue {
                metadata = values.compactMapValues(\.stringValue)
            } else if detail.objectValue?["reason"] == nil {
                extra.append(detail)
            }
        }
        self.init(kind, message, metadata: metadata, extraDetails: extra)
    }
}
