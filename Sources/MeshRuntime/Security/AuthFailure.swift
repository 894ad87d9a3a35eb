/// Why a request is not authenticated or not allowed; ``AuthMiddleware`` answers 401 or 403 with ``message``.
public struct AuthFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// No credential at all: 401 without an `error` in the challenge (RFC 6750 §3.1).
        case missing
        /// A credential that is wrong, expired or for someone else: 401 `invalid_token`.
        case invalid
        /// A valid credential that may not do this: 403, naming the scope when one is missing.
        case forbidden(scope: AuthScope?)
    }

    public var kind: Kind
    /// Says exactly what is wrong; never quotes the credential.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    static func invalid(_ message: String) -> AuthFailure { AuthFailure(.invalid, message) }

    public var description: String { message }
}
