import A2AClient
import AsyncHTTPClient

/// How one agent authenticates its callers and itself: the verifier, the credential kinds it accepts, what
/// each route needs, and the issuer of the mesh tokens it sends to peers.
public struct HostSecurity: Sendable {
    public var verifier: CredentialVerifier
    /// Credential kinds this agent accepts; `.anonymous` opens its client routes to callers without one.
    public var accepts: Set<RequestPrincipal.Kind>
    public var policy: PathPolicy
    /// Signs this agent's calls to peers; nil without a mesh key.
    public var tokenIssuer: MeshTokenIssuer?

    public init(
        verifier: CredentialVerifier, accepts: Set<RequestPrincipal.Kind>, policy: PathPolicy = .agent,
        tokenIssuer: MeshTokenIssuer? = nil
    ) {
        self.verifier = verifier
        self.accepts = accepts
        self.policy = policy
        self.tokenIssuer = tokenIssuer
    }

    /// The realm of challenges: the mesh's name.
    public var realm: String { verifier.meshName }

    /// `Authorization: Bearer <mesh token>` for calls to peers; none without a mesh key.
    public func peerHeaders() -> [(name: String, value: String)] {
        tokenIssuer?.headers() ?? []
    }

    /// The master's security for `auth` (nil when it is all off): clients with API keys or JWTs (or anyone,
    /// when neither is configured) plus mesh tokens.
    public static func master(
        auth: AuthSettings, meshName: String, agent: String, httpClient: HTTPClient = A2AClient.defaultHTTPClient
    ) -> HostSecurity? {
        guard auth.clientAuthEnabled || !auth.meshKey.isEmpty else { return nil }
        var accepts: Set<RequestPrincipal.Kind> = auth.clientAuthEnabled ? [] : [.anonymous]
        if !auth.apiKeys.isEmpty { accepts.insert(.apiKey) }
        if auth.jwt.isEnabled { accepts.insert(.jwt) }
        if !auth.meshKey.isEmpty { accepts.insert(.mesh) }
        return HostSecurity(
            verifier: CredentialVerifier(settings: auth, meshName: meshName, httpClient: httpClient), accepts: accepts,
            policy: .master(meshTokens: !auth.meshKey.isEmpty), tokenIssuer: issuer(auth, meshName, agent))
    }

    /// A worker's or the gateway's security (nil without a mesh key): mesh tokens only, so that API key and JWT
    /// holders get 403 rather than reach an agent directly.
    public static func agent(
        auth: AuthSettings, meshName: String, agent: String, httpClient: HTTPClient = A2AClient.defaultHTTPClient
    ) -> HostSecurity? {
        guard !auth.meshKey.isEmpty else { return nil }
        return HostSecurity(
            verifier: CredentialVerifier(settings: auth, meshName: meshName, httpClient: httpClient), accepts: [.mesh],
            policy: .agent, tokenIssuer: issuer(auth, meshName, agent))
    }

    private static func issuer(_ auth: AuthSettings, _ meshName: String, _ agent: String) -> MeshTokenIssuer? {
        auth.meshKey.isEmpty ? nil : MeshTokenIssuer(meshKey: auth.meshKey, meshName: meshName, agent: agent)
    }
}
