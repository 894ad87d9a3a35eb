extension MeshConfiguration {
    /// Reads `agents:`: entries `{ name, replicas }` (or just a name), each name once.
    static func parseAgents(_ node: ConfigNode) throws(ConfigurationError) -> ([AgentEntry], [ConfigNode]) {
        var entries: [AgentEntry] = []
        var nameNodes: [ConfigNode] = []
        for item in try node.sequence() {
            var entry = AgentEntry(name: "")
            let nameNode: ConfigNode
            if item.node.scalar != nil {
                nameNode = item
            } else {
                let map = try item.mapping(knownKeys: ["name", "replicas"])
                nameNode = try map.required("name")
                if let replicas = map["replicas"] {
                    entry.replicas = try replicas.int()
                    guard entry.replicas >= 1 else { throw replicas.failure("must be at least 1") }
                }
            }
            entry.name = try nameNode.string()
            guard isValidAgentName(entry.name) else { throw nameNode.failure(agentNameRule) }
            if let first = entries.firstIndex(where: { $0.name == entry.name }) {
                throw nameNode.failure("is listed twice (also \(nameNodes[first].path))")
            }
            entries.append(entry)
            nameNodes.append(nameNode)
        }
        guard !entries.isEmpty else { throw node.failure("needs at least one agent", quotingValue: false) }
        return (entries, nameNodes)
    }

    /// Reads `pipelines:`; when any is given, one must be `default`.
    static func parsePipelines(_ node: ConfigNode) throws(ConfigurationError) -> [String: PipelineDefinition] {
        var pipelines: [String: PipelineDefinition] = [:]
        for (name, value) in try node.mapping(knownKeys: nil).entries {
            guard isValidSkillID(name) else {
                throw value.failure(
                    "is not a valid pipeline name (letters, digits, '.', '_' or '-')", quotingValue: false)
            }
            pipelines[name] = try parsePipeline(name: name, value)
        }
        if !pipelines.isEmpty, pipelines["default"] == nil {
            throw node.failure(
                "needs a pipeline named 'default' (has: \(pipelines.keys.sorted().joined(separator: ", ")))",
                quotingValue: false)
        }
        return pipelines
    }

    private static func parsePipeline(name: String, _ node: ConfigNode) throws(ConfigurationError) -> PipelineDefinition
    {
        let map = try node.mapping(knownKeys: ["steps", "improve"])
        let stepsNode = try map.required("steps")
        var steps: [String] = []
        for item in try stepsNode.sequence() {
            let step = try item.string()
            guard isValidSkillID(step) else { throw item.failure("is not a skill id") }
            steps.append(step)
        }
        guard !steps.isEmpty else { throw stepsNode.failure("needs at least one step", quotingValue: false) }
        var pipeline = PipelineDefinition(name: name, steps: steps)
        if let improve = map["improve"] { pipeline.improve = try parseImprove(improve, steps: steps) }
        return pipeline
    }

    private static func parseImprove(
        _ node: ConfigNode, steps: [String]
    ) throws(ConfigurationError) -> PipelineDefinition.Improve {
        let map = try node.mapping(knownKeys: ["from", "to", "threshold", "maxRounds"])
        let stepList = steps.joined(separator: ", ")
        let fromNode = try map.required("from")
        let from = try fromNode.string()
        guard let fromIndex = steps.firstIndex(of: from) else {
            throw fromNode.failure("is not a step of this pipeline (steps: \(stepList))")
        }
        let toNode = try map.required("to")
        let to = try toNode.string()
        guard let toIndex = steps.firstIndex(of: to) else {
            throw toNode.failure("is not a step of this pipeline (steps: \(stepList))")
        }
        guard toIndex <= fromIndex else {
            throw toNode.failure("must be a step at or before '\(from)': the work goes back to it")
        }
        var improve = PipelineDefinition.Improve(from: from, to: to, threshold: 0.7, maxRounds: 2)
        if let threshold = map["threshold"] { improve.threshold = try unitInterval(threshold) }
        if let rounds = map["maxRounds"] {
            improve.maxRounds = try rounds.int()
            guard improve.maxRounds >= 0 else { throw rounds.failure("must be at least 0") }
        }
        return improve
    }
}
