import Foundation
import MeshRuntime
import Redis

/// Which processes `mesh up` starts, with their command lines, ports and environments.
struct UpPlan {
    var redis: ChildSpec?
    var registry: ChildSpec?
    /// Every agent instance in `mesh.yaml` order, replicas after their first.
    var agents: [ChildSpec]
    /// Things worth saying before anything starts, e.g. a port that is already taken.
    var notes: [String]

    /// Every child in start order.
    var children: [ChildSpec] { [redis, registry].compactMap { $0 } + agents.sorted { $0.role < $1.role } }

    /// The agent instances of `mesh`, each `<executable> agent NAME --config <config> --port P --host H`.
    ///
    /// The first replica takes the agent file's port; later replicas (and agents with port 0) get a free
    /// port picked here, so their URLs can be printed. `MASTER_URL` and `LLM_GATEWAY_URL` point at the first
    /// master and llm-gateway unless the environment sets them already.
    static func agents(
        mesh: MeshConfiguration, configPath: String, host: String, executable: String,
        environment: [String: String], reservedPorts: Set<Int>
    ) throws -> (agents: [ChildSpec], notes: [String]) {
        var taken = reservedPorts.union(mesh.definitions.values.map(\.port).filter { $0 != 0 })
        var notes: [String] = []
        var planned: [(entry: AgentEntry, definition: AgentDefinition, replica: Int, port: Int)] = []
        for entry in mesh.agents {
            guard let definition = mesh.definitions[entry.name] else { continue }
            for replica in 1...max(1, entry.replicas) {
                let port: Int
                if replica == 1, definition.port != 0 {
                    port = definition.port
                    if !PortProbe.canBind(host: host, port: port) {
                        notes.append(
                            "port \(port) of \(entry.name) (\(definition.file)) is in use: \(entry.name) will fail "
                                + "and be restarted until it is free")
                    }
                } else {
                    port = try PortProbe.freePort(host: host, excluding: taken)
                }
                taken.insert(port)
                planned.append((entry, definition, replica, port))
            }
        }
        let urlHost = Self.urlHost(host)
        func role(of definition: AgentDefinition) -> ChildSpec.Role {
            let kinds = Set(definition.skills.map(\.kind))
            if kinds.contains(.orchestrate) { return .master }
            if kinds.contains(.gateway) { return .gateway }
            return .worker
        }
        var shared = environment
        let firstURL = { (wanted: ChildSpec.Role) in
            planned.first { role(of: $0.definition) == wanted }.map { "http://\(urlHost):\($0.port)" }
        }
        if (shared["MASTER_URL"] ?? "").isEmpty, let url = firstURL(.master) { shared["MASTER_URL"] = url }
        if (shared["LLM_GATEWAY_URL"] ?? "").isEmpty, let url = firstURL(.gateway) { shared["LLM_GATEWAY_URL"] = url }
        let agents = planned.map { item in
            let base = "http://\(urlHost):\(item.port)"
            return ChildSpec(
                label: item.replica == 1 ? item.entry.name : "\(item.entry.name)#\(item.replica)",
                role: role(of: item.definition), agent: item.entry.name, replica: item.replica,
                executable: executable,
                arguments: [
                    "agent", item.entry.name, "--config", configPath, "--port", "\(item.port)", "--host", host,
                ],
                environment: shared, url: base, skills: item.definition.skills.map(\.id),
                probe: .agent(base: base))
        }
        return (agents, notes)
    }

    /// The embedded registry on `port`, keeping its state in Redis (`REDIS_*` in `environment`).
    static func registry(
        url: String, port: Int, host: String, keyPrefix: String, executable: String, environment: [String: String]
    ) -> ChildSpec {
        let bindHost = isWildcard(host) ? host : "127.0.0.1"
        return ChildSpec(
            label: "registry", role: .registry, agent: nil, replica: 1, executable: executable,
            arguments: ["registry", "--host", bindHost, "--port", "\(port)", "--redis-key-prefix", keyPrefix],
            environment: environment, url: url, skills: [], probe: .http(url: url))
    }

    /// The host for URLs of processes bound to `host`: loopback for the wildcard addresses.
    static func urlHost(_ host: String) -> String {
        if isWildcard(host) { return "127.0.0.1" }
        return host.contains(":") ? "[\(host)]" : host
    }

    static func isWildcard(_ host: String) -> Bool {
        ["0.0.0.0", "::", "[::]", ""].contains(host)
    }

    /// Whether a URL's host is this machine's loopback.
    static func isLocal(_ url: URLComponents) -> Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host?.lowercased() ?? "")
    }
}

extension RedisConfiguration {
    /// The connection as `REDIS_URL` and friends, for children: the URL carries user and password.
    var childEnvironment: [String: String] {
        func encoded(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
                ?? text
        }
        var userInfo = ""
        if let username { userInfo = encoded(username) }
        if let password { userInfo += ":" + encoded(password) }
        if !userInfo.isEmpty { userInfo += "@" }
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        var url = "\(tls.isEnabled ? "rediss" : "redis")://\(userInfo)\(host):\(port)"
        if database != 0 { url += "/\(database)" }
        var environment: [String: String] = [:]
        if case .enabled(let caFile, let certFile, let keyFile, let serverName) = tls {
            if let serverName { url += "?serverName=\(encoded(serverName))" }
            environment["REDIS_CA_FILE"] = caFile
            environment["REDIS_CERT_FILE"] = certFile
            environment["REDIS_KEY_FILE"] = keyFile
        }
        environment["REDIS_URL"] = url
        return environment
    }
}
