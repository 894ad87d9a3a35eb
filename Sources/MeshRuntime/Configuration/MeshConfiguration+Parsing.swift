import Discovery
import Redis

/// `mesh.yaml` read and validated on its own, with the positions of the agent names for later errors.
struct ParsedMeshFile {
    var configuration: MeshConfiguration
    /// The `agents[i].name` (or `agents[i]`) value of each entry, in order.
    var agentNameNodes: [ConfigNode]
}

extension MeshConfiguration {
    static let knownFields = [
        "mesh", "discovery", "redis", "auth", "llm", "agents", "pipelines", "dispatch", "limits", "webhooks",
    ]

    /// Reads `mesh.yaml`'s text; `file` is how errors name it.
    static func parse(text: String, file: String) throws(ConfigurationError) -> ParsedMeshFile {
        guard let root = try ConfigNode.parse(text, file: file) else {
            throw ConfigurationError(file: file, field: "", problem: "is empty; a mesh needs at least `agents:`")
        }
        let map = try root.mapping(knownKeys: knownFields)
        var configuration = MeshConfiguration(file: file)
        if let mesh = try map["mesh"]?.mapping(knownKeys: ["name", "keyPrefix"]) {
            if let name = mesh["name"] { configuration.name = try nonEmpty(name) }
            if let prefix = mesh["keyPrefix"] { configuration.keyPrefix = try prefix.string() }
        }
        if let discovery = map["discovery"] { configuration.discovery = try parseDiscovery(discovery) }
        if let redis = map["redis"] { configuration.redisSettings = try parseRedis(redis) }
        if let auth = map["auth"] { configuration.auth = try parseAuth(auth) }
        if let llm = try map["llm"]?.mapping(knownKeys: ["providers"]) {
            let providers = try llm.required("providers")
            configuration.llmProviders = []
            for item in try providers.sequence() { configuration.llmProviders.append(try parseProvider(item)) }
            guard !configuration.llmProviders.isEmpty else {
                throw providers.failure("needs at least one provider, e.g. { kind: offline }", quotingValue: false)
            }
        }
        let (agents, nameNodes) = try parseAgents(try map.required("agents"))
        configuration.agents = agents
        if let pipelines = map["pipelines"] { configuration.pipelines = try parsePipelines(pipelines) }
        if let dispatch = map["dispatch"] { configuration.dispatch = try parseDispatch(dispatch) }
        if let limits = map["limits"] { configuration.limits = try parseLimits(limits) }
        if let webhooks = map["webhooks"] { configuration.webhooks = try parseWebhooks(webhooks) }
        return ParsedMeshFile(configuration: configuration, agentNameNodes: nameNodes)
    }

    private static func parseDispatch(_ node: ConfigNode) throws(ConfigurationError) -> DispatchSettings {
        let map = try node.mapping(knownKeys: [
            "maxAttempts", "backoffMs", "maxBackoffMs", "stepTimeoutSeconds", "claimIdleSeconds", "delivery",
        ])
        var settings = DispatchSettings()
        func atLeast(_ key: String, _ minimum: Double) throws(ConfigurationError) -> Double? {
            guard let value = map[key] else { return nil }
            let number = try value.double()
            guard number >= minimum else { throw value.failure("must be at least \(minimum)") }
            return number
        }
        settings.maxAttempts = try atLeast("maxAttempts", 1).map { Int($0) }
        settings.backoffMilliseconds = try atLeast("backoffMs", 0).map { Int($0) }
        settings.maxBackoffMilliseconds = try atLeast("maxBackoffMs", 0).map { Int($0) }
        settings.stepTimeoutSeconds = try atLeast("stepTimeoutSeconds", 0.1)
        settings.claimIdleSeconds = try atLeast("claimIdleSeconds", 0.3)
        if let delivery = map["delivery"] {
            let text = try delivery.string()
            guard ["auto", "push"].contains(text) else { throw delivery.failure("must be auto or push") }
            settings.delivery = text
        }
        return settings
    }

    private static func parseDiscovery(_ node: ConfigNode) throws(ConfigurationError) -> DiscoveryConfiguration {
        let map = try node.mapping(knownKeys: ["modes", "registry", "static"])
        var discovery = DiscoveryConfiguration(modes: [.mdns])
        if let modes = map["modes"] {
            discovery.modes = []
            for item in try modes.sequence() {
                guard let mode = AgentSource(rawValue: try item.string()) else {
                    throw item.failure("must be one of: mdns, registry, static")
                }
                discovery.modes.insert(mode)
            }
            guard !discovery.modes.isEmpty else { throw modes.failure("needs at least one mode", quotingValue: false) }
        }
        if let registry = try map["registry"]?.mapping(knownKeys: ["url", "namespace", "service"]) {
            // An empty URL means real AWS Cloud Map, with region and credentials from the environment.
            if let url = registry["url"] {
                discovery.registry.endpoint = try url.string().isEmpty ? nil : httpURL(url)
            }
            if let namespace = registry["namespace"] { discovery.registry.namespace = try nonEmpty(namespace) }
            if let service = registry["service"] { discovery.registry.service = try nonEmpty(service) }
        }
        if let urls = map["static"] {
            for item in try urls.sequence() { discovery.staticURLs.append(try httpURL(item)) }
        }
        return discovery
    }

    private static func parseRedis(_ node: ConfigNode) throws(ConfigurationError) -> RedisSettings {
        let map = try node.mapping(knownKeys: ["url", "tls"])
        var settings = RedisSettings()
        if let url = map["url"] { settings.url = try url.string() }
        if let tls = try map["tls"]?.mapping(knownKeys: ["ca", "cert", "key"]) {
            if let ca = tls["ca"] { settings.caFile = try ca.string() }
            if let cert = tls["cert"] { settings.certFile = try cert.string() }
            if let key = tls["key"] { settings.keyFile = try key.string() }
        }
        // Checked here, where the line is known; the environment may still change it later.
        if !settings.url.isEmpty {
            do {
                _ = try settings.resolve(environment: [:])
            } catch {
                // The URL may hold a password: the message comes from Redis, which redacts it.
                throw (map["url"] ?? node).failure(redisProblem(error), quotingValue: false)
            }
        }
        return settings
    }

    private static func parseAuth(_ node: ConfigNode) throws(ConfigurationError) -> AuthSettings {
        let map = try node.mapping(knownKeys: ["apiKeys", "jwt", "meshKey", "rateLimit"])
        var auth = AuthSettings()
        if let keys = map["apiKeys"] {
            var ids = Set<String>()
            for item in try keys.sequence() {
                let key = try parseAPIKey(item)
                guard ids.insert(key.id).inserted else {
                    throw item.failure("repeats id '\(key.id)'", quotingValue: false)
                }
                auth.apiKeys.append(key)
            }
        }
        if let jwt = try map["jwt"]?.mapping(knownKeys: ["hs256Secret", "jwksURL", "issuer", "audience", "algorithms"])
        {
            if let secret = jwt["hs256Secret"] { auth.jwt.hs256Secret = try secretValue(secret) }
            if let url = jwt["jwksURL"], try !url.string().isEmpty { auth.jwt.jwksURL = try httpURL(url) }
            if let issuer = jwt["issuer"] { auth.jwt.issuer = try issuer.string() }
            if let audience = jwt["audience"] { auth.jwt.audience = try audience.string() }
            if let algorithms = jwt["algorithms"] {
                auth.jwt.algorithms = []
                for item in try algorithms.sequence() {
                    let name = try item.string()
                    guard AuthSettings.JWT.jwksAlgorithms.contains(name) else {
                        throw item.failure(
                            "must be one of: \(AuthSettings.JWT.jwksAlgorithms.joined(separator: ", ")) "
                                + "(HS256 is on when hs256Secret is set)")
                    }
                    auth.jwt.algorithms.append(name)
                }
                guard !auth.jwt.algorithms.isEmpty else {
                    throw algorithms.failure("needs at least one algorithm", quotingValue: false)
                }
            }
        }
        if let meshKey = map["meshKey"] { auth.meshKey = try secretValue(meshKey) }
        if let limit = try map["rateLimit"]?.mapping(knownKeys: ["perMinute", "monthlyTasks"]) {
            if let value = limit["perMinute"] { auth.rateLimit.perMinute = try limitValue(value) }
            if let value = limit["monthlyTasks"] { auth.rateLimit.monthlyTasks = try limitValue(value) }
        }
        return auth
    }

    private static func parseAPIKey(_ node: ConfigNode) throws(ConfigurationError) -> AuthSettings.APIKey {
        guard case .mapping = node.node else {
            // A plain key in the file would be a secret stored in the clear: say how to store it instead.
            throw node.failure(
                "must be { id, sha256, scopes }: keys are stored hashed; `mesh auth new-key --id NAME` prints an entry",
                quotingValue: false)
        }
        let map = try node.mapping(knownKeys: ["id", "sha256", "scopes", "perMinute", "monthlyTasks"])
        let id = try nonEmpty(try map.required("id"))
        let hashNode = try map.required("sha256")
        let hash = try hashNode.string()
        guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            // A mistake here is often the key itself pasted in: never echo it.
            throw hashNode.failure(
                "must be 64 lower-case hex digits (the SHA-256 of the key; `mesh auth hash-key` prints it)",
                quotingValue: false)
        }
        var key = AuthSettings.APIKey(id: id, sha256: hash)
        if let scopes = map["scopes"] {
            key.scopes = []
            for item in try scopes.sequence() {
                guard let scope = AuthScope(rawValue: try item.string()) else {
                    throw item.failure("must be one of: \(AuthScope.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                key.scopes.insert(scope)
            }
        }
        if let value = map["perMinute"] { key.perMinute = try limitValue(value) }
        if let value = map["monthlyTasks"] { key.monthlyTasks = try limitValue(value) }
        return key
    }

    /// A secret: text of at least ``AuthSettings/minimumSecretLength`` characters, or empty (off). Errors never
    /// quote it.
    private static func secretValue(_ node: ConfigNode) throws(ConfigurationError) -> String {
        guard let text = node.node.scalar?.string else {
            throw node.failure("must be a text value", quotingValue: false)
        }
        guard text.isEmpty || text.count >= AuthSettings.minimumSecretLength else {
            throw node.failure(
                "is too short: use at least \(AuthSettings.minimumSecretLength) characters "
                    + "(e.g. `openssl rand -hex 32`)", quotingValue: false)
        }
        return text
    }

    private static func limitValue(_ node: ConfigNode) throws(ConfigurationError) -> Int {
        let value = try node.int()
        guard value >= 0 else { throw node.failure("must be 0 (unlimited) or more") }
        return value
    }

    private static func parseProvider(_ node: ConfigNode) throws(ConfigurationError) -> LLMProviderSettings {
        let map = try node.mapping(knownKeys: ["kind", "model", "baseURL", "apiKeyEnv", "region", "timeoutSeconds"])
        let kindNode = try map.required("kind")
        guard let kind = LLMProviderSettings.Kind(rawValue: try kindNode.string()) else {
            let kinds = LLMProviderSettings.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw kindNode.failure("must be one of: \(kinds)")
        }
        var provider = LLMProviderSettings(kind: kind)
        if let model = map["model"] { provider.model = try nonEmpty(model) }
        if kind != .offline, provider.model == nil {
            throw ConfigurationError(
                file: node.file, line: node.node.mark?.line, column: node.node.mark?.column,
                field: "\(node.path).model",
                problem: "is required for kind \(kind.rawValue)")
        }
        if let baseURL = map["baseURL"] { provider.baseURL = try httpURL(baseURL) }
        if let apiKeyEnv = map["apiKeyEnv"] { provider.apiKeyEnv = try nonEmpty(apiKeyEnv) }
        if let region = map["region"] { provider.region = try nonEmpty(region) }
        if let timeout = map["timeoutSeconds"] {
            provider.timeoutSeconds = try timeout.double()
            guard provider.timeoutSeconds! > 0 else { throw timeout.failure("must be more than 0") }
        }
        return provider
    }
}

extension RedisSettings {
    /// The connection these settings and `environment`'s `REDIS_*` variables describe.
    func resolve(environment: [String: String]) throws -> RedisConfiguration {
        try RedisConfiguration.load(
            url: url, caFile: caFile, certFile: certFile, keyFile: keyFile, environment: environment)
    }
}

/// A Redis configuration error's own words (they name the field and redact passwords).
func redisProblem(_ error: any Error) -> String {
    if case RedisError.configuration(let detail) = error { return detail }
    return "\(error)"
}
