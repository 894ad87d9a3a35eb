import A2AServer
import Discovery
import Foundation
import Logging

/// Where and how an agent process listens.
public struct AgentHostConfiguration: Sendable {
    /// The agent's name, used in logs.
    public var name: String
    /// The address to bind; `0.0.0.0` for containers, loopback by default.
    public var host: String
    /// The port to bind; 0 picks a free one (see ``AgentHost/waitUntilRunning()``).
    public var port: Int
    /// The URL clients reach the agent at, when it differs from the bind address (load balancer, AgentCore).
    public var publicURL: String?
    public var limits: A2ALimits
    public var retention: InMemoryTaskStore.Retention
    public var logLevel: Logger.Level
    /// How long graceful shutdown may take before remaining work is cancelled (25 s by default, inside
    /// the 30 s that ECS and Kubernetes allow after SIGTERM).
    public var shutdownGracePeriod: Duration
    /// Where the agent advertises itself and looks for peers; nil: neither (a lone agent).
    public var discovery: DiscoveryConfiguration?
    /// The address peers reach the agent at, when neither the bind address nor the public URL says it.
    public var advertisedHost: String?
    /// The registry's heartbeat TTL; the agent reports HEALTHY every third of it.
    public var registryHeartbeatTTL: Duration = .seconds(10)
    /// Where webhooks and push notifications may go, how they are signed and retried (`mesh.yaml` `webhooks:`).
    public var webhooks = WebhookSettings()
    /// Who may call the agent and how it signs its calls to peers; nil leaves it open (no auth configured).
    public var security: HostSecurity?

    public init(
        name: String, host: String = "127.0.0.1", port: Int, publicURL: String? = nil, limits: A2ALimits = A2ALimits(),
        retention: InMemoryTaskStore.Retention = .init(), logLevel: Logger.Level = .info,
        shutdownGracePeriod: Duration = .seconds(25)
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.limits = limits
        self.retention = retention
        self.logLevel = logLevel
        self.shutdownGracePeriod = shutdownGracePeriod
    }

    /// Applies the environment: `LOG_LEVEL`, `AGENTCORE_RUNTIME_URL` as the public URL,
    /// `MESH_SHUTDOWN_GRACE_SECONDS`, and `MESH_ADVERTISE_HOST`.
    public mutating func applyEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let level = environment["LOG_LEVEL"].flatMap({ Logger.Level(rawValue: $0.lowercased()) }) {
            logLevel = level
        }
        if publicURL == nil, let url = environment["AGENTCORE_RUNTIME_URL"], !url.isEmpty {
            publicURL = url
        }
        if let grace = environment["MESH_SHUTDOWN_GRACE_SECONDS"].flatMap(Double.init), grace >= 0 {
            shutdownGracePeriod = .milliseconds(Int64(grace * 1000))
        }
        if advertisedHost == nil, let host = environment["MESH_ADVERTISE_HOST"], !host.isEmpty {
            advertisedHost = host
        }
    }
}
