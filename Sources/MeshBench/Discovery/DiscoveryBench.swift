import CloudMap
import Discovery
import Foundation
import Logging
import ServiceLifecycle

/// `mesh bench discovery`: how long an agent process takes to appear in another process's directory, and
/// to leave it after SIGKILL, per discovery mode.
///
/// The observing directory runs in this process, fed exactly as an agent's own directory is (the mDNS feed,
/// or a registry poller). Each round spawns one `mesh conformance` agent that advertises in the mode,
/// times its card answering, its appearance, SIGKILLs it, and times its routing-around and removal.
public struct DiscoveryBench: Sendable {
    public let configuration: DiscoveryBenchConfiguration
    let logger = Logger(label: "mesh.bench.discovery")

    public init(configuration: DiscoveryBenchConfiguration) {
        self.configuration = configuration
    }

    public func run() async throws -> DiscoveryBenchReport {
        try configuration.validate()
        var summaries: [DiscoveryBenchReport.Summary] = []
        for mode in configuration.modes {
            summaries.append(try await measure(mode))
        }
        return DiscoveryBenchReport(modes: summaries)
    }

    func measure(_ mode: AgentSource) async throws -> DiscoveryBenchReport.Summary {
        var registryProcess: BenchChildProcess?
        var endpoint = configuration.registryEndpoint
        if mode == .registry, endpoint == nil {
            let (process, started) = try await startRegistry()
            registryProcess = process
            endpoint = started
        }
        let discovery = DiscoveryConfiguration(
            modes: [mode],
            registry: .init(
                endpoint: endpoint, namespace: configuration.registryNamespace, service: configuration.registryService),
            pollInterval: .milliseconds(configuration.pollIntervalMilliseconds))
        if mode == .registry {
            // The observer polls the service from the start, so it must exist before the first agent creates it.
            _ = try await RegistryAdvertiser.ensureServiceId(
                client: CloudMapClient(configuration: .fromEnvironment(endpoint: endpoint)),
                namespace: configuration.registryNamespace, service: configuration.registryService)
        }
        let directory = AgentDirectory(revalidateInterval: .milliseconds(configuration.pollIntervalMilliseconds))
        let log = DirectoryEventLog()
        let changes = directory.changes()
        let reference = mode == .mdns ? AvahiBrowseReference() : nil
        let group = ServiceGroup(
            configuration: .init(
                services: buildDirectoryServices(discovery, directory: directory), gracefulShutdownSignals: [],
                logger: logger))
        let measured = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            tasks.addTask { await log.record(changes) }
            if let reference { tasks.addTask { await reference.run() } }
            defer { tasks.cancelAll() }
            // Let the browser or poller settle before the first agent starts.
            try await Task.sleep(for: .milliseconds(500))
            var measured: [MeasuredRound] = []
            for index in 0..<configuration.rounds {
                measured.append(try await round(index, mode: mode, registryEndpoint: endpoint, log: log))
            }
            await group.triggerGracefulShutdown()
            return measured
        }
        await registryProcess?.stop()
        var referenceFigures: DiscoveryBenchReport.Reference?
        if let reference {
            let appearances = measured.compactMap { round in
                reference.times(of: round.name).resolved.map { milliseconds($0 - round.spawned) }
            }
            let removals = measured.compactMap { round -> Double? in
                guard let killed = round.killed, let removed = reference.times(of: round.name).removed else { return nil }
                return milliseconds(removed - killed)
            }
            referenceFigures = .init(
                client: "avahi-browse", appearanceMedianMs: median(appearances), removalMedianMs: median(removals))
        }
        return DiscoveryBenchReport.Summary(mode: mode.rawValue, rounds: measured.map(\.round), reference: referenceFigures)
    }

    /// One round's figures with the instants the reference is measured from.
    struct MeasuredRound {
        var name: String
        var spawned: ContinuousClock.Instant
        var killed: ContinuousClock.Instant?
        var round: DiscoveryBenchReport.Round
    }

    func round(
        _ index: Int, mode: AgentSource, registryEndpoint: String?, log: DirectoryEventLog
    ) async throws -> MeasuredRound {
        let name = "bench-\(mode.rawValue)-\(getpid())-\(index)"
        let port = try BenchChildProcess.freeLoopbackPort()
        var arguments = [
            "conformance", "--port", "\(port)", "--name", name, "--discovery", mode.rawValue,
            "--registry-heartbeat-ttl", "\(configuration.heartbeatTTLSeconds)",
        ]
        if mode == .registry, let registryEndpoint {
            arguments += [
                "--registry-url", registryEndpoint, "--registry-namespace", configuration.registryNamespace,
                "--registry-service", configuration.registryService,
            ]
        }
        let timeout = Duration.milliseconds(Int64(configuration.timeoutSeconds * 1000))
        let spawned = ContinuousClock.now
        let agent = try BenchChildProcess(
            executable: configuration.meshBinary, arguments: arguments, environment: ["LOG_LEVEL": "warning"])
        var round = DiscoveryBenchReport.Round()
        let ready = await waitForCard(port: port, until: spawned + timeout)
        round.readyMs = ready.map { milliseconds($0 - spawned) }
        guard let appeared = await log.wait(for: name, \.up, until: spawned + timeout) else {
            await agent.stop(signal: SIGKILL, keepLog: true)
            logger.warning("agent did not appear", metadata: ["name": "\(name)", "log": "\(agent.logPath)"])
            return MeasuredRound(name: name, spawned: spawned, round: round)
        }
        round.appearanceMs = milliseconds(appeared - spawned)
        let killed = ContinuousClock.now
        kill(agent.pid, SIGKILL)
        round.routedAroundMs = await log.routedAround(name, until: killed + timeout).map { milliseconds($0 - killed) }
        round.removalMs = await log.wait(for: name, \.removed, until: killed + timeout).map { milliseconds($0 - killed) }
        await agent.stop(signal: SIGKILL)
        return MeasuredRound(name: name, spawned: spawned, killed: killed, round: round)
    }

    /// Polls the agent's card every 2 ms until it answers; the instant it did.
    func waitForCard(port: Int, until deadline: ContinuousClock.Instant) async -> ContinuousClock.Instant? {
        let url = "http://127.0.0.1:\(port)/.well-known/agent-card.json"
        let fetcher = CardFetcher(timeout: .milliseconds(200))
        while ContinuousClock.now < deadline {
            if (try? await fetcher.fetch(url, etag: nil)) != nil { return ContinuousClock.now }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }

    /// Starts `mesh registry` on a free loopback port and waits until it answers.
    func startRegistry() async throws -> (BenchChildProcess, String) {
        let port = try BenchChildProcess.freeLoopbackPort()
        let process = try BenchChildProcess(
            executable: configuration.meshBinary,
            arguments: ["registry", "--port", "\(port)", "--heartbeat-ttl", "\(configuration.heartbeatTTLSeconds)"])
        let endpoint = "http://127.0.0.1:\(port)"
        let client = CloudMapClient(configuration: .init(endpoint: endpoint))
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if (try? await client.listNamespaces()) != nil { return (process, endpoint) }
            try await Task.sleep(for: .milliseconds(20))
        }
        await process.stop()
        throw BenchError.cannotConnect(host: "127.0.0.1", port: port, reason: "mesh registry did not answer in 30 s")
    }
}

/// A duration in milliseconds.
func milliseconds(_ duration: Duration) -> Double {
    let parts = duration.components
    return Double(parts.seconds) * 1000 + Double(parts.attoseconds) / 1e15
}
