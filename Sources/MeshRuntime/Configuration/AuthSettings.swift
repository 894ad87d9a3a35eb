/// What a credential allows: each route of the master needs one (see ``HostSecurity``).
public enum AuthScope: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `POST /task`, `POST /invocations`, A2A `SendMessage` to the master.
    case task
    /// `GET /task/{id}`, its events, `GET /result/{id}`, cancel.
    case result
    /// `POST /dispatch`.
    case dispatch
    /// `GET /dlq` and replay.
    case dlq

    /// What a JWT without a scope claim (and an API key without `scopes`) gets.
    public static let defaults: Set<AuthScope> = [.task, .result]

    public static func < (lhs: AuthScope, rhs: AuthScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// `mesh.yaml`'s `auth:` block: who may call the master, and the mesh key agents sign each other's tokens with.
///
/// Client credentials (API keys, JWTs) are "on" when ``apiKeys`` or ``JWT/isEnabled`` says so; without them the
/// master's client routes stay open. Agent-to-agent authentication is on when ``meshKey`` is set. Never log it:
/// it holds secrets (``description`` shows none).
public struct AuthSettings: Sendable, Hashable, CustomStringConvertible {
    /// One accepted API key, stored as the SHA-256 of the key.
    public struct APIKey: Sendable, Hashable {
        /// Names the key in logs and rate limits (`key:<id>`).
        public var id: String
        /// 64 lower-case hex digits: the SHA-256 of the key's UTF-8 bytes.
        public var sha256: String
        public var scopes: Set<AuthScope>
        /// Requests per minute on `/task`; nil uses ``AuthSettings/rateLimit``.
        public var perMinute: Int?
        /// Tasks per calendar month; nil uses ``AuthSettings/rateLimit``.
        public var monthlyTasks: Int?

        public init(
            id: String, sha256: String, scopes: Set<AuthScope> = AuthScope.defaults, perMinute: Int? = nil,
            monthlyTasks: Int? = nil
        ) {
            self.id = id
            self.sha256 = sha256
            self.scopes = scopes
            self.perMinute = perMinute
            self.monthlyTasks = monthlyTasks
        }
    }

    /// How JWTs are verified: a shared HS256 secret, a JWKS endpoint for RS256/ES256, or both.
    public struct JWT: Sendable, Hashable {
        /// The HS256 secret; empty turns HS256 off (env `MESH_JWT_SECRET`, `MESH_JWT_SECRET_FILE`).
        public var hs256Secret: String
        /// The JWKS endpoint (http or https); empty turns RS256/ES256 off.
        public var jwksURL: String
        /// The required `iss`; empty accepts any.
        public var issuer: String
        /// The required `aud` (or Cognito's `client_id`); empty accepts any.
        public var audience: String
        /// The algorithms accepted from the JWKS.
        public var algorithms: [String]

        public static let jwksAlgorithms = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]

        public init(
            hs256Secret: String = "", jwksURL: String = "", issuer: String = "", audience: String = "",
            algorithms: [String] = ["RS256", "ES256"]
        ) {
            self.hs256Secret = hs256Secret
            self.jwksURL = jwksURL
            self.issuer = issuer
            self.audience = audience
            self.algorithms = algorithms
        }

        /// True when either a secret or a JWKS is configured.
        public var isEnabled: Bool { !hs256Secret.isEmpty || !jwksURL.isEmpty }
    }

    public var apiKeys: [APIKey]
    public var jwt: JWT
    /// The HS256 secret of agent-to-agent tokens; empty leaves the mesh's inside open
    /// (env `MESH_KEY`, `MESH_KEY_FILE`).
    public var meshKey: String
    /// The default limits per principal on `/task`; 0 means unlimited.
    public var rateLimit: RateLimitPolicy

    /// Secrets shorter than this are refused: an HS256 key should be at least as long as its 32-byte hash.
    public static let minimumSecretLength = 32

    public init(
        apiKeys: [APIKey] = [], jwt: JWT = JWT(), meshKey: String = "",
        rateLimit: RateLimitPolicy = RateLimitPolicy(perMinute: 600)
    ) {
        self.apiKeys = apiKeys
        self.jwt = jwt
        self.meshKey = meshKey
        self.rateLimit = rateLimit
    }

    /// True when clients must present an API key or a JWT.
    public var clientAuthEnabled: Bool { !apiKeys.isEmpty || jwt.isEnabled }

    /// Counts keys and says which secrets are set, never showing them.
    public var description: String {
        let jwks = jwt.jwksURL.isEmpty ? "none" : jwt.jwksURL
        return
            "AuthSettings(apiKeys: \(apiKeys.count), hs256: \(jwt.hs256Secret.isEmpty ? "off" : "on"), jwksURL: \(jwks), meshKey: \(meshKey.isEmpty ? "unset" : "set"))"
    }
}
