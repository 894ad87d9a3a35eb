extension MeshConfiguration {
    /// A human-readable overview for `mesh config check`: discovery, Redis (password redacted), providers,
    /// agents with ports, replicas and skills, pipelines, and warnings. Never shows API keys.
    public var summary: String {
        var lines = ["mesh \(name) (\(file)), Redis keys under '\(keyPrefix)'"]
        let modes = discovery.modes.map(\.rawValue).sorted().joined(separator: ", ")
        var discoveryLine = "discovery: \(modes)"
        if discovery.modes.contains(.registry) {
            let registry = discovery.registry
            discoveryLine +=
                "; registry \(registry.endpoint ?? "AWS Cloud Map") \(registry.namespace)/\(registry.service)"
        }
        if !discovery.staticURLs.isEmpty { discoveryLine += "; static \(discovery.staticURLs.joined(separator: " "))" }
        lines.append(discoveryLine)
        lines.append("redis: " + (redis.map(\.description) ?? "none configured: `mesh up` starts a local redis-server"))
        let providers = llmProviders.map { provider in
            [provider.kind.rawValue, provider.model, provider.baseURL].compactMap { $0 }.joined(separator: " ")
        }
        lines.append("llm: " + providers.joined(separator: ", "))
        var auth: [String] = []
        if !self.auth.apiKeys.isEmpty { auth.append("\(self.auth.apiKeys.count) API key(s)") }
        if !self.auth.jwt.jwksURL.isEmpty { auth.append("JWT from \(self.auth.jwt.jwksURL)") }
        if !self.auth.jwt.hs256Secret.isEmpty { auth.append("HS256 JWT") }
        if !self.auth.meshKey.isEmpty { auth.append("mesh key set (agents need mesh tokens)") }
        lines.append("auth: " + (auth.isEmpty ? "none" : auth.joined(separator: ", ")))
        if let agentID { lines.append("this process: \(agentID)") }

        lines.append("agents:")
        let rows = agents.map { entry -> [String] in
            let definition = agent(entry.name)
            let skills = definition?.skills.map { "\($0.id) (\($0.kind.rawValue))" }.joined(separator: ", ") ?? ""
            return [entry.name, definition.map { String($0.port) } ?? "?", "x\(entry.replicas)", skills]
        }
        lines += table([["NAME", "PORT", "REPLICAS", "SKILLS"]] + rows).map { "  " + $0 }

        lines.append("pipelines:" + (pipelines.isEmpty ? " none" : ""))
        for name in pipelines.keys.sorted() {
            let pipeline = pipelines[name]!
            var line = "  \(name): " + pipeline.steps.joined(separator: " -> ")
            if let improve = pipeline.improve {
                line +=
                    "; back from \(improve.from) to \(improve.to) while the score is below \(improve.threshold)"
                    + ", at most \(improve.maxRounds) round(s)"
            }
            lines.append(line)
        }
        lines += warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// Rows padded into aligned columns.
private func table(_ rows: [[String]]) -> [String] {
    let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }
}
