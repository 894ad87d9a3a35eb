import A2A
import A2AServer
import CloudMap
import Discovery
import Foundation
import Hummingbird
import MeshRuntime
import MeshTesting
import ServiceLifecycle
import Synchronization
import Testing

/// An executor that completes every task at once; discovery only needs the card.
struct CompleteExecutor: AgentExecutor {
    nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        try await updater.complete()
    }
}

/// A card with one skill per `(id, tags)`.
func testCard(_ name: String, skills: [(String, [String])]) -> AgentCard {
    AgentCard(
        name: name, description: "\(name) for discovery tests", supportedInterfaces: [], version: "1.0.0",
        capabilities: AgentCapabilities(), defaultInputModes: ["text/plain"], defaultOutputModes: ["text/plain"],
        skills: skills.map { AgentSkill(id: $0.0, name: $0.0, description: "skill \($0.0)", tags: $0.1) })
}

/// A card fetcher for tests: the whole suite runs in parallel on two cores, where a loopback fetch can take
/// longer than the production timeout of 2 s; tests that check health must not mistake that for a dead peer.
var patientFetcher: CardFetcher { CardFetcher(timeout: .seconds(20)) }

/// An agent host on a free loopback port, quiet in the test log.
func makeHost(_ card: AgentCard) -> AgentHost {
    buildAgentHost(
        card: card, executor: CompleteExecutor(),
        configuration: AgentHostConfiguration(name: card.name, port: 0, logLevel: .critical))
}

/// The card URL of an agent listening on `port`.
func cardURL(port: Int) -> String { "http://127.0.0.1:\(port)/.well-known/agent-card.json" }

/// Runs the hosts for the duration of `body`, which gets their ports in order, then shuts them down
/// gracefully so that their sockets are closed when this returns.
func withHosts<Result: Sendable>(_ hosts: [AgentHost], _ body: ([Int]) async throws -> Result) async throws -> Result {
    let group = ServiceGroup(
        configuration: .init(
            services: hosts.map { $0.application }, gracefulShutdownSignals: [], logger: .init(label: "test")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let ports = try await runningPorts(of: hosts)
            let result = try await body(ports)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            tasks.cancelAll()
            throw error
        }
    }
}

/// Runs the embedded registry on a loopback port with namespace `mesh.local` and service `agents`
/// (custom health), and hands `body` a client and the service id.
func withRegistry<Result: Sendable>(
    configuration: RegistryConfiguration = .init(), _ body: (CloudMapClient, String) async throws -> Result
) async throws -> Result {
    let box = BoundPort()
    let app = buildRegistryApplication(port: 0, configuration: configuration, onServerRunning: { box.set($0) })
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await app.run() }
        defer { group.cancelAll() }
        let port = await box.wait()
        let client = CloudMapClient(configuration: .init(endpoint: "http://127.0.0.1:\(port)"))
        let operation = try await client.createHttpNamespace(.init(name: "mesh.local"))
        let namespaceId = try #require(
            try await client.getOperation(id: operation.operationId ?? "").targets?["NAMESPACE"])
        let service = try await client.createService(
            .init(name: "agents", namespaceId: namespaceId, healthCheckCustomConfig: .init()))
        return try await body(client, try #require(service.id))
    }
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes; returns whether it held.
func eventually(within timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}
