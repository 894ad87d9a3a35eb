/// `mesh.yaml`'s `redis:` block as written; ``MeshConfiguration/redis`` is what it resolves to.
public struct RedisSettings: Sendable, Hashable {
    /// `redis://` or `rediss://` URL; empty means `mesh up` starts a local redis-server.
    public var url: String
    /// PEM CA bundle that verifies the server (`tls.ca`).
    public var caFile: String
    /// PEM client certificate for mutual TLS (`tls.cert`).
    public var certFile: String
    /// PEM key of the client certificate (`tls.key`).
    public var keyFile: String

    public init(url: String = "", caFile: String = "", certFile: String = "", keyFile: String = "") {
        self.url = url
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }
}

/// One model provider of the llm-gateway, from `llm.providers`.
public struct LLMProviderSettings: Sendable, Hashable {
    /// The provider APIs the gateway speaks.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Deterministic answers without a network, for tests and demos.
        case offline
        case openai, bedrock, anthropic, gemini
    }

    public var kind: Kind
    /// The model id; required for every kind but `offline`.
    public var model: String?
    /// The API's base URL, when it is not the provider's default (e.g. an OpenAI-compatible server).
    public var baseURL: String?
    /// The environment variable that holds the API key; keys never live in files.
    public var apiKeyEnv: String?
    /// The AWS region, for `bedrock`.
    public var region: String?
    /// How long one call may take; nil uses the gateway's default.
    public var timeoutSeconds: Double?

    public init(
        kind: Kind, model: String? = nil, baseURL: String? = nil, apiKeyEnv: String? = nil, region: String? = nil,
        timeoutSeconds: Double? = nil
    ) {
        self.kind = kind
        self.model = model
        self.baseURL = baseURL
        self.apiKeyEnv = apiKeyEnv
        self.region = region
        self.timeoutSeconds = timeoutSeconds
    }
}

/// One entry of `mesh.yaml`'s `agents:` list.
public struct AgentEntry: Sendable, Hashable {
    /// The agent, defined in `agents/<name>.yaml`.
    public var name: String
    /// How many processes run it, at least 1; replicas after the first take free ports.
    public var replicas: Int

    public init(name: String, replicas: Int = 1) {
        self.name = name
        self.replicas = replicas
    }
}

/// A named sequence of skills, with an optional loop that improves a draft.
public struct PipelineDefinition: Sendable, Hashable {
    /// Sends the work back from one step to an earlier one while a score stays below a threshold.
    public struct Improve: Sendable, Hashable {
        /// The step whose score decides, e.g. `evaluate`.
        public var from: String
        /// The step that runs again with the feedback, e.g. `plan`; at or before `from`.
        public var to: String
        /// The score (0...1) that ends the loop.
        public var threshold: Double
        /// How many times the work may go back, at least 0.
        public var maxRounds: Int

        public init(from: String, to: String, threshold: Double, maxRounds: Int) {
            self.from = from
            self.to = to
            self.threshold = threshold
            self.maxRounds = maxRounds
        }
    }

    public var name: String
    /// Skill ids in order.
    public var steps: [String]
    public var improve: Improve?

    public init(name: String, steps: [String], improve: Improve? = nil) {
        self.name = name
        self.steps = steps
        self.improve = improve
    }
}

/// `mesh.yaml`'s `dispatch:` block: how the master retries and takes over work. Unset fields keep the master's
/// defaults; the `MESH_*` variables override both (see the master's settings).
public struct DispatchSettings: Sendable, Hashable {
    /// Attempts per step before the task is dead-lettered (`maxAttempts`).
    public var maxAttempts: Int?
    /// The first retry's delay in milliseconds (`backoffMs`); it doubles per attempt, with jitter.
    public var backoffMilliseconds: Int?
    /// The longest retry delay in milliseconds (`maxBackoffMs`).
    public var maxBackoffMilliseconds: Int?
    /// How long one step may run (`stepTimeoutSeconds`).
    public var stepTimeoutSeconds: Double?
    /// How long a silent master's work waits before another master takes it over (`claimIdleSeconds`).
    public var claimIdleSeconds: Double?
    /// `auto` (streaming, push for agents that do not stream) or `push` (`delivery`).
    public var delivery: String?

    public init() {}
}
