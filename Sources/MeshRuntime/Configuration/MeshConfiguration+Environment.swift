import Discovery
import Foundation
import Redis

extension MeshConfiguration {
    /// The environment variables that ``applying(environment:)`` reads, besides
    /// `RedisConfiguration.environmentVariables`.
    public static let environmentVariables =
        [
            "AGENT_ID", "MASTER_URL", "LLM_GATEWAY_URL", "CAPABILITIES", "MESH_DISCOVERY", "MESH_REGISTRY_URL",
        ] + authEnvironmentVariables + WebhookSettings.environmentVariables

    /// This configuration with `environment` overriding the files; empty values count as unset.
    ///
    /// - `AGENT_ID`: which listed agent this process runs (``agentID``).
    /// - `MASTER_URL`: the master's base URL (``masterURL``), http or https.
    /// - `LLM_GATEWAY_URL`: the llm-gateway's base URL (``llmGatewayURL``), http or https.
    /// - `CAPABILITIES`: comma-separated skill ids that narrow agent `AGENT_ID`'s skills (``capabilities``);
    ///   an id the agent does not have is an error. Without `AGENT_ID` every id must belong to some agent.
    /// - `MESH_DISCOVERY`: comma-separated discovery modes (`mdns`, `registry`, `static`) replacing `discovery.modes`.
    /// - `MESH_REGISTRY_URL`: the registry endpoint replacing `discovery.registry.url`.
    /// - `MESH_WEBHOOK_SECRET`, `MESH_WEBHOOK_ALLOW_PRIVATE` (`1`/`0`): override `webhooks.signingSecret` and
    ///   `webhooks.allowPrivateNetworks`.
    /// - `MESH_KEY`, `MESH_KEY_FILE`: the mesh key replacing `auth.meshKey` (the file's content, trimmed).
    /// - `MESH_JWT_SECRET`, `MESH_JWT_SECRET_FILE`: the HS256 secret replacing `auth.jwt.hs256Secret`.
    /// - `REDIS_URL`, `REDIS_HOST`, `REDIS_PORT`, `REDIS_USERNAME`, `REDIS_PASSWORD`, `REDIS_PASSWORD_FILE`,
    ///   `REDIS_DB`, `REDIS_TLS`, `REDIS_CA_FILE`, `REDIS_CERT_FILE`, `REDIS_KEY_FILE`: override `redis:` as
    ///   `RedisConfiguration.load(url:caFile:certFile:keyFile:environment:defaults:)` describes. ``redis`` is
    ///   rebuilt from the file's settings and these; it stays nil unless `redis.url`, `REDIS_URL` or
    ///   `REDIS_HOST` names a server.
    public func applying(environment: [String: String]) throws(ConfigurationError) -> MeshConfiguration {
        let environment = environment.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        var result = self
        if let url = environment["MASTER_URL"] { result.masterURL = try environmentURL("MASTER_URL", url) }
        if let url = environment["LLM_GATEWAY_URL"] {
            result.llmGatewayURL = try environmentURL("LLM_GATEWAY_URL", url)
        }
        if let text = environment["MESH_DISCOVERY"] {
            var modes: Set<AgentSource> = []
            for item in commaList(text) {
                guard let mode = AgentSource(rawValue: item) else {
                    throw environmentError(
                        "MESH_DISCOVERY", "names unknown mode '\(item)' (known: mdns, registry, static)", text)
                }
                modes.insert(mode)
            }
            guard !modes.isEmpty else { throw environmentError("MESH_DISCOVERY", "names no mode", text) }
            result.discovery.modes = modes
        }
        if let url = environment["MESH_REGISTRY_URL"] {
            result.discovery.registry.endpoint = try environmentURL("MESH_REGISTRY_URL", url)
        }
        try result.auth.apply(environment: environment)
        if let text = environment["CAPABILITIES"] { result.capabilities = commaList(text) }
        result.webhooks = try webhooks.applying(environment: environment)
        if let id = environment["AGENT_ID"] { result.agentID = id }
        try result.checkAgentSelection(agentSource: ("environment", "AGENT_ID"))
        let namesServer =
            !redisSettings.url.isEmpty || environment["REDIS_URL"] != nil || environment["REDIS_HOST"] != nil
        if namesServer {
            do {
                var redis = try redisSettings.resolve(environment: environment)
                redis.keyPrefix = keyPrefix
                result.redis = redis
            } catch {
                throw ConfigurationError(
                    file: ConfigurationError.environmentFile, field: "", problem: redisProblem(error))
            }
        } else {
            result.redis = nil
        }
        return result
    }

    /// This configuration running agent `name`: the flag (`mesh agent NAME`) that overrides `AGENT_ID`.
    /// ``capabilities`` then narrow this agent, and must all be its skills.
    public func selecting(agent name: String) throws(ConfigurationError) -> MeshConfiguration {
        var result = self
        result.agentID = name
        try result.checkAgentSelection(agentSource: ("command line", "agent"))
        return result
    }

    /// Checks that ``agentID`` is a listed agent and ``capabilities`` are skills it (or any agent) has.
    /// `agentSource` says where ``agentID`` came from, as errors name it.
    private func checkAgentSelection(agentSource: (file: String, field: String)) throws(ConfigurationError) {
        if let agentID, definitions[agentID] == nil {
            let names = agents.map(\.name).joined(separator: ", ")
            throw ConfigurationError(
                file: agentSource.file, field: agentSource.field,
                problem: "is not an agent of \(file) (agents: \(names))", value: agentID)
        }
        guard let capabilities else { return }
        let owner = agentID.flatMap { definitions[$0] }
        let offered =
            owner.map { $0.skills.map(\.id) }
            ?? agents.compactMap { definitions[$0.name] }.flatMap { $0.skills.map(\.id) }
        for id in capabilities where !offered.contains(id) {
            let whose = owner.map { "agent \($0.name) does not have" } ?? "no agent of \(file) has"
            throw environmentError(
                "CAPABILITIES", "names skill '\(id)' that \(whose) (skills: \(offered.joined(separator: ", ")))",
                capabilities.joined(separator: ","))
        }
        guard !capabilities.isEmpty else { throw environmentError("CAPABILITIES", "names no skill", "") }
    }
}

private func environmentError(_ variable: String, _ problem: String, _ value: String) -> ConfigurationError {
    ConfigurationError(file: ConfigurationError.environmentFile, field: variable, problem: problem, value: value)
}

private func environmentURL(_ variable: String, _ text: String) throws(ConfigurationError) -> String {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
        scheme == "http" || scheme == "https", !(components.host ?? "").isEmpty
    else { throw environmentError(variable, "must be an http:// or https:// URL", text) }
    return text
}

/// `a, b,,c` as `["a", "b", "c"]`.
private func commaList(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}
