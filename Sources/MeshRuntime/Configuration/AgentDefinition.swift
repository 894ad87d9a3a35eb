import A2A

/// One agent as `agents/<name>.yaml` describes it: its card fields, its port and its skills.
///
/// Adding a worker means adding such a file: a skill's ``SkillDefinition/kind`` picks built-in behaviour and
/// its ``SkillDefinition/settings`` configure it, so no Swift code is needed.
public struct AgentDefinition: Sendable, Hashable {
    /// The agent's name; equal to the file's base name and to its entry in `mesh.yaml`.
    public var name: String
    public var description: String
    /// The version its card shows (`1.0.0` when the file gives none).
    public var version: String
    /// The port of the first replica on one host; 0 picks a free one.
    public var port: Int
    public var skills: [SkillDefinition]
    /// The file it was read from, as errors name it (e.g. `agents/worker-b.yaml`).
    public var file: String

    public init(
        name: String, description: String, version: String = "1.0.0", port: Int, skills: [SkillDefinition],
        file: String = ""
    ) {
        self.name = name
        self.description = description
        self.version = version
        self.port = port
        self.skills = skills
        self.file = file
    }

    /// The skill with `id`, if the agent has it.
    public func skill(_ id: String) -> SkillDefinition? {
        skills.first { $0.id == id }
    }

    /// The A2A card the agent publishes.
    ///
    /// `interfaces` may stay empty: the card publisher fills in JSON-RPC and HTTP+JSON at the URL each
    /// request came in on. Security schemes are added by whoever configures auth.
    public func card(interfaces: [AgentInterface] = []) -> AgentCard {
        AgentCard(
            name: name,
            description: description,
            supportedInterfaces: interfaces,
            provider: AgentProvider(url: "https://github.com/a2a-mesh", organization: "A2A Mesh"),
            version: version,
            capabilities: AgentCapabilities(streaming: true, pushNotifications: true, extendedAgentCard: false),
            defaultInputModes: ["text/plain", "application/json"],
            defaultOutputModes: ["text/plain", "application/json"],
            skills: skills.map(\.cardSkill))
    }
}

/// One skill of an agent: its card fields, its kind and the kind's settings.
public struct SkillDefinition: Sendable, Hashable {
    /// The id that pipelines, routing and `CAPABILITIES` name, e.g. `retrieve` or `llm.generate`.
    public var id: String
    public var name: String
    public var description: String
    public var tags: [String]
    public var examples: [String]
    /// Media types the skill accepts, when they differ from the agent's defaults.
    public var inputModes: [String]?
    /// Media types the skill produces, when they differ from the agent's defaults.
    public var outputModes: [String]?
    /// The settings, typed by kind.
    public var settings: SkillSettings

    /// The built-in behaviour that runs the skill.
    public var kind: SkillKind { settings.kind }

    public init(
        id: String, name: String, description: String, tags: [String] = [], examples: [String] = [],
        inputModes: [String]? = nil, outputModes: [String]? = nil, settings: SkillSettings
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.tags = tags
        self.examples = examples
        self.inputModes = inputModes
        self.outputModes = outputModes
        self.settings = settings
    }

    /// The skill as its card lists it.
    public var cardSkill: AgentSkill {
        AgentSkill(
            id: id, name: name, description: description, tags: tags, examples: examples.isEmpty ? nil : examples,
            inputModes: inputModes, outputModes: outputModes)
    }
}
