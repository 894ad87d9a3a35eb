import ArgumentParser
import Discovery
import Foundation

/// How an agent process takes part in discovery: where it advertises itself and where it looks for peers.
///
/// Flags win over the environment (`MESH_DISCOVERY=mdns,registry`, `MESH_REGISTRY_URL`,
/// `MESH_REGISTRY_NAMESPACE`, `MESH_REGISTRY_SERVICE`, `MESH_PEERS`); with neither, the agent stays alone.
struct AdvertiseOptions: ParsableArguments {
    @Option(
        name: .customLong("discovery"),
        help: "Advertise and look for peers this way: mdns, registry or static (repeatable, or comma-separated).")
    var modes: [String] = []

    @Option(name: .customLong("registry-url"), help: "The registry endpoint; 'aws' for AWS Cloud Map.")
    var registryURL: String?

    @Option(name: .customLong("registry-namespace"), help: "The registry namespace (created when missing).")
    var registryNamespace: String?

    @Option(name: .customLong("registry-service"), help: "The registry service (created when missing).")
    var registryService: String?

    @Option(
        name: .customLong("registry-heartbeat-ttl"),
        help: "Seconds the registry waits for a heartbeat before it marks the agent unhealthy (heartbeat: a third).")
    var heartbeatTTL: Double = 10

    @Option(name: .customLong("peer"), help: "A peer's base or card URL for static discovery (repeatable).")
    var peers: [String] = []

    @Option(help: "The address peers reach this agent at (MESH_ADVERTISE_HOST); default: the bind address.")
    var advertiseHost: String?

    func validate() throws {
        _ = try configuration()
        guard heartbeatTTL > 0 else { throw ValidationError("--registry-heartbeat-ttl must be positive, got \(heartbeatTTL)") }
    }

    /// The discovery settings, or nil when no mode is asked for.
    func configuration(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> DiscoveryConfiguration? {
        func env(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let fromFlags = modes.flatMap { $0.split(separator: ",") }
        let names = fromFlags.isEmpty ? (env("MESH_DISCOVERY")?.split(separator: ",") ?? []) : fromFlags
        var chosen = Set<AgentSource>()
        for name in names.map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let mode = AgentSource(rawValue: name) else {
                throw ValidationError("unknown discovery mode '\(name)'; expected mdns, registry or static")
            }
            chosen.insert(mode)
        }
        guard !chosen.isEmpty else { return nil }
        let staticURLs = peers.isEmpty ? (env("MESH_PEERS")?.split(separator: ",").map(String.init) ?? []) : peers
        if chosen.contains(.static) && staticURLs.isEmpty {
            throw ValidationError("discovery mode 'static' needs at least one --peer URL (or MESH_PEERS)")
        }
        let endpoint = registryURL ?? env("MESH_REGISTRY_URL") ?? "http://127.0.0.1:7400"
        return DiscoveryConfiguration(
            modes: chosen,
            registry: .init(
                endpoint: endpoint == "aws" ? nil : endpoint,
                namespace: registryNamespace ?? env("MESH_REGISTRY_NAMESPACE") ?? "mesh.local",
                service: registryService ?? env("MESH_REGISTRY_SERVICE") ?? "agents"),
            staticURLs: staticURLs)
    }
}
