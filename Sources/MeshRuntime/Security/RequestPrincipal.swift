/// Who made the request being handled, as ``AuthMiddleware`` established it.
///
/// Handlers read ``current``; it is nil on hosts without security (every caller is then anonymous).
public struct RequestPrincipal: Sendable, Hashable {
    /// How the caller proved who it is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No credential, on a host whose client routes are open.
        case anonymous
        case apiKey
        case jwt
        /// A short-lived token signed with the mesh key: another agent of this mesh.
        case mesh
    }

    /// The rate-limit key: `key:<id>`, `jwt:<sub>`, `agent:<name>` or `anonymous`.
    public var subject: String
    public var kind: Kind
    public var scopes: Set<AuthScope>
    /// The caller's task rate and monthly quota on `/task`.
    public var limits: RateLimitPolicy

    public init(subject: String, kind: Kind, scopes: Set<AuthScope>, limits: RateLimitPolicy) {
        self.subject = subject
        self.kind = kind
        self.scopes = scopes
        self.limits = limits
    }

    /// The principal of the request this task serves; set by ``AuthMiddleware``.
    @TaskLocal public static var current: RequestPrincipal?
}
