import A2AClient
import AsyncHTTPClient
import Foundation

/// A credential as a request carries it.
public enum Credential: Sendable, Hashable {
    /// `X-API-Key`, or a bearer token that is not a JWT.
    case apiKey(String)
    /// `Authorization: Bearer <JWT>`.
    case bearerJWT(String)
}

/// Turns credentials into principals with `mesh.yaml`'s `auth:` settings: API keys by their SHA-256, client JWTs
/// by secret or JWKS, mesh tokens by the mesh key.
public final class CredentialVerifier: Sendable {
    public let settings: AuthSettings
    public let meshName: String
    private let apiKeys: APIKeyVerifier
    private let jwt: ClientJWTVerifier
    private let meshTokens: MeshTokenVerifier?

    public init(settings: AuthSettings, meshName: String, httpClient: HTTPClient = A2AClient.defaultHTTPClient) {
        self.settings = settings
        self.meshName = meshName
        apiKeys = APIKeyVerifier(keys: settings.apiKeys)
        jwt = ClientJWTVerifier(settings: settings.jwt, httpClient: httpClient)
        meshTokens = settings.meshKey.isEmpty ? nil : MeshTokenVerifier(meshKey: settings.meshKey, meshName: meshName)
    }

    /// The caller without a credential, on hosts that let it in: every client scope, and no limits. Every such
    /// caller would share one budget, so limiting them would let one client starve the rest; limits need
    /// credentials.
    public var anonymous: RequestPrincipal {
        RequestPrincipal(subject: "anonymous", kind: .anonymous, scopes: Set(AuthScope.allCases), limits: .unlimited)
    }

    /// Who presents `credential`, or why it is refused (always ``AuthFailure/Kind/invalid``).
    public func principal(for credential: Credential) async throws(AuthFailure) -> RequestPrincipal {
        switch credential {
        case .apiKey(let key):
            guard !apiKeys.isEmpty else {
                throw .invalid("API keys are not accepted here: mesh.yaml's auth.apiKeys lists none")
            }
            guard let entry = apiKeys.verify(key) else { throw .invalid("unknown API key") }
            return RequestPrincipal(
                subject: "key:\(entry.id)", kind: .apiKey, scopes: entry.scopes,
                limits: .init(
                    perMinute: entry.perMinute ?? settings.rateLimit.perMinute,
                    monthlyTasks: entry.monthlyTasks ?? settings.rateLimit.monthlyTasks))
        case .bearerJWT(let token):
            // The common case inside a mesh: a peer's token that verified before.
            if let agent = try meshTokens?.knownAgent(token) { return meshPrincipal(agent: agent) }
            let parsed = try UnverifiedJWT(token)
            if parsed.issuer?.hasPrefix("mesh:") == true {
                guard let meshTokens else {
                    throw .invalid("mesh tokens are not accepted here: this agent has no mesh key")
                }
                return meshPrincipal(agent: try await meshTokens.verify(token, header: parsed.header))
            }
            guard jwt.isEnabled else {
                throw .invalid("JWTs are not accepted here: mesh.yaml's auth.jwt has neither hs256Secret nor jwksURL")
            }
            let claims = try await jwt.verify(token, header: parsed.header)
            return RequestPrincipal(
                subject: "jwt:\(claims.sub ?? claims.client_id ?? "")", kind: .jwt, scopes: claims.grantedScopes,
                limits: .init(
                    perMinute: settings.rateLimit.perMinute, monthlyTasks: settings.rateLimit.monthlyTasks))
        }
    }

    /// Whether `token` is a valid mesh token of this mesh (never asks a JWKS).
    public func isMeshToken(_ token: String) async -> Bool {
        guard let meshTokens else { return false }
        return (try? await meshTokens.verify(token)) != nil
    }

    private func meshPrincipal(agent: String) -> RequestPrincipal {
        RequestPrincipal(subject: "agent:\(agent)", kind: .mesh, scopes: Set(AuthScope.allCases), limits: .unlimited)
    }
}
