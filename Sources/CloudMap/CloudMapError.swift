/// An error `__type` of the Cloud Map API. Unknown codes from a server are kept as they are.
public struct CloudMapErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let customHealthNotFound = Self(rawValue: "CustomHealthNotFound")
    public static let duplicateRequest = Self(rawValue: "DuplicateRequest")
    public static let instanceNotFound = Self(rawValue: "InstanceNotFound")
    public static let invalidInput = Self(rawValue: "InvalidInput")
    public static let namespaceAlreadyExists = Self(rawValue: "NamespaceAlreadyExists")
    public static let namespaceNotFound = Self(rawValue: "NamespaceNotFound")
    public static let operationNotFound = Self(rawValue: "OperationNotFound")
    public static let requestLimitExceeded = Self(rawValue: "RequestLimitExceeded")
    public static let resourceInUse = Self(rawValue: "ResourceInUse")
    public static let resourceLimitExceeded = Self(rawValue: "ResourceLimitExceeded")
    public static let resourceNotFound = Self(rawValue: "ResourceNotFoundException")
    public static let serviceAlreadyExists = Self(rawValue: "ServiceAlreadyExists")
    public static let serviceNotFound = Self(rawValue: "ServiceNotFound")
    public static let tooManyTags = Self(rawValue: "TooManyTagsException")
    /// Not in the model: what AWS answers for an `X-Amz-Target` it does not know.
    public static let unknownOperation = Self(rawValue: "UnknownOperationException")
}

/// A Cloud Map error: the `__type`, the `Message`, and any extra members of the error body
/// (`DuplicateOperationId`, `NamespaceId`, `ServiceId`, ...).
public struct CloudMapError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: CloudMapErrorCode
    public var message: String
    public var extra: [String: String]
    /// The HTTP status, when the error came over the wire (client side).
    public var statusCode: Int?
    /// `x-amzn-RequestId` of the failed call, when known.
    public var requestId: String?

    public init(
        _ code: CloudMapErrorCode, _ message: String, extra: [String: String] = [:], statusCode: Int? = nil,
        requestId: String? = nil
    ) {
        self.code = code
        self.message = message
        self.extra = extra
        self.statusCode = statusCode
        self.requestId = requestId
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func invalidInput(_ message: String) -> Self { Self(.invalidInput, message) }
}

extension CloudMapError {
    /// The error code of an awsJson `__type`, as botocore reads it: anything before `#` and after `:` dropped.
    public static func code(fromType type: String) -> CloudMapErrorCode {
        var code = Substring(type)
        if let hash = code.lastIndex(of: "#") { code = code[code.index(after: hash)...] }
        if let colon = code.firstIndex(of: ":") { code = code[..<colon] }
        return CloudMapErrorCode(rawValue: String(code))
    }
}
