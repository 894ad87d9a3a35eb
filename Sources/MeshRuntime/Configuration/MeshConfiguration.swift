import A2AServer
import Discovery
import Redis

/// The whole mesh as `mesh.yaml` and `agents/<name>.yaml` describe it, after the environment's overrides.
///
/// Get one with ``load(path:environment:)``: it reads every file, validates everything and applies the
/// environment (``applying(environment:)``), or throws one ``ConfigurationError`` before anything starts.
/// Flags come last: ``selecting(agent:)`` is the `mesh agent NAME` override of `AGENT_ID`.
///
/// ```swift
/// let mesh = try MeshConfiguration.load(path: "mesh.yaml")
/// let worker = mesh.agent("worker-b")!         // narrowed by CAPABILITIES when it is this process
/// let card = worker.card()                       // the A2A card
/// let topK = worker.skill("retrieve")?.settings  // .retrieve(RetrieveSkillSettings(topK: 5))
/// let peers = mesh.discovery                     // Discovery.DiscoveryConfiguration
/// let redis = mesh.redis                         // nil: `mesh up` starts a local redis-server
/// ```
public struct MeshConfiguration: Sendable {
    /// The mesh's name (`mesh.name`, `mesh` by default).
    public var name: String
    /// The prefix of every Redis key (`mesh.keyPrefix`, `mesh:` by default).
    public var keyPrefix: String
    /// Where agents find each other (`discovery:`), after `MESH_DISCOVERY` and `MESH_REGISTRY_URL`.
    public var discovery: DiscoveryConfiguration
    /// The `redis:` block as written.
    public var redisSettings: RedisSettings
    /// The Redis connection from the file and the `REDIS_*` variables, with ``keyPrefix``; nil when neither
    /// names a server, which tells `mesh up` to start a local one.
    public var redis: RedisConfiguration?
    public var auth: AuthSettings
    /// The llm-gateway's providers, in order of preference (`llm.providers`).
    public var llmProviders: [LLMProviderSettings]
    /// The agents to run, in file order, with replicas.
    public var agents: [AgentEntry]
    /// Every listed agent's definition as its file says, by name; see ``agent(_:)`` for the narrowed one.
    public var definitions: [String: AgentDefinition]
    /// Named pipelines; `default` exists whenever any does.
    public var pipelines: [String: PipelineDefinition]
    /// How the master retries and takes over work (`dispatch:`).
    public var dispatch = DispatchSettings()
    /// What one request to any agent may carry (`limits:`).
    public var limits = A2ALimits()
    /// Where webhooks and push notifications may go, their signature and retries (`webhooks:`), after
    /// `MESH_WEBHOOK_SECRET` and `MESH_WEBHOOK_ALLOW_PRIVATE`.
    public var webhooks = WebhookSettings()
    /// The path `mesh.yaml` was loaded from.
    public var file: String

    /// Which agent this process runs (`AGENT_ID`, or `mesh agent NAME`); nil for the CLI and `mesh up`.
    public var agentID: String?
    /// The master's base URL when discovery should not be asked (`MASTER_URL`).
    public var masterURL: String?
    /// The llm-gateway's base URL when discovery should not be asked (`LLM_GATEWAY_URL`).
    public var llmGatewayURL: String?
    /// Skill ids that narrow the skills of agent ``agentID`` (`CAPABILITIES`); nil keeps them all.
    public var capabilities: [String]?

    public init(
        name: String = "mesh", keyPrefix: String = "mesh:", discovery: DiscoveryConfiguration = .init(modes: [.mdns]),
        redisSettings: RedisSettings = RedisSettings(), redis: RedisConfiguration? = nil,
        auth: AuthSettings = AuthSettings(), llmProviders: [LLMProviderSettings] = [.init(kind: .offline)],
        agents: [AgentEntry] = [], definitions: [String: AgentDefinition] = [:],
        pipelines: [String: PipelineDefinition] = [:], file: String = "mesh.yaml"
    ) {
        self.name = name
        self.keyPrefix = keyPrefix
        self.discovery = discovery
        self.redisSettings = redisSettings
        self.redis = redis
        self.auth = auth
        self.llmProviders = llmProviders
        self.agents = agents
        self.definitions = definitions
        self.pipelines = pipelines
        self.file = file
    }

    /// The definition of agent `name`; for the agent this process runs, only the skills in ``capabilities``.
    public func agent(_ name: String) -> AgentDefinition? {
        guard var definition = definitions[name] else { return nil }
        if name == agentID, let capabilities {
            definition.skills = definition.skills.filter { capabilities.contains($0.id) }
        }
        return definition
    }

    /// The definition of the agent this process runs (``agentID``), narrowed by ``capabilities``.
    public var currentAgent: AgentDefinition? {
        agentID.flatMap(agent)
    }

    /// The listed agents' definitions in file order, each as ``agent(_:)`` returns it.
    public var agentDefinitions: [AgentDefinition] {
        agents.compactMap { agent($0.name) }
    }

    /// The pipeline that tasks without one run.
    public var defaultPipeline: PipelineDefinition? { pipelines["default"] }

    /// Things that load but look wrong, e.g. a pipeline step that no configured agent offers (it may still come
    /// from a static peer, so it is not an error).
    public var warnings: [String] {
        let offered = Set(agentDefinitions.flatMap { $0.skills.flatMap { [$0.id] + $0.tags } })
        return pipelines.keys.sorted().flatMap { name in
            pipelines[name]!.steps.filter { !offered.contains($0) }.map {
                "\(file): pipelines.\(name).steps: no configured agent offers skill '\($0)'"
            }
        }
    }
}
