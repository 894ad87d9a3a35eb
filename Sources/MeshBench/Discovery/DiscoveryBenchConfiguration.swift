import Discovery

/// What `mesh bench discovery` measures: per mode, `rounds` agent processes started and SIGKILLed.
public struct DiscoveryBenchConfiguration: Sendable {
    /// mdns, registry, or both, in this order.
    public var modes: [AgentSource]
    public var rounds: Int
    /// The `mesh` binary that runs the agents (and the registry, when none is given).
    public var meshBinary: String
    /// An existing registry; nil starts `mesh registry` on a free loopback port for the run.
    public var registryEndpoint: String?
    public var registryNamespace: String
    public var registryService: String
    /// The heartbeat TTL of the registry the bench starts and of the agents' advertisers.
    public var heartbeatTTLSeconds: Double
    /// How often the observing directory polls the registry.
    public var pollIntervalMilliseconds: Int
    /// How long one wait (appearance, removal) may take before the round counts as timed out.
    public var timeoutSeconds: Double

    public init(
        modes: [AgentSource], rounds: Int, meshBinary: String, registryEndpoint: String? = nil,
        registryNamespace: String = "mesh.bench", registryService: String = "agents", heartbeatTTLSeconds: Double = 10,
        pollIntervalMilliseconds: Int = 250, timeoutSeconds: Double = 20
    ) {
        self.modes = modes
        self.rounds = rounds
        self.meshBinary = meshBinary
        self.registryEndpoint = registryEndpoint
        self.registryNamespace = registryNamespace
        self.registryService = registryService
        self.heartbeatTTLSeconds = heartbeatTTLSeconds
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.timeoutSeconds = timeoutSeconds
    }

    /// Checks the figures, naming the option that is wrong.
    public func validate() throws {
        guard !modes.isEmpty else { throw BenchError.invalidOption("--mode: give mdns, registry or both") }
        if let bad = modes.first(where: { $0 == .static }) {
            throw BenchError.invalidOption("--mode \(bad.rawValue): only mdns and registry advertise")
        }
        guard rounds >= 1 else { throw BenchError.invalidOption("--rounds must be at least 1, got \(rounds)") }
        guard heartbeatTTLSeconds > 0 else {
            throw BenchError.invalidOption("--heartbeat-ttl must be positive, got \(heartbeatTTLSeconds)")
        }
        guard pollIntervalMilliseconds > 0 else {
            throw BenchError.invalidOption("--poll-interval must be positive, got \(pollIntervalMilliseconds)")
        }
    }
}
