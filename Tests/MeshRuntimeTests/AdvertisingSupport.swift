import Discovery
import Foundation
import MeshTesting
import Testing

/// A set of real `mesh conformance` processes that advertise themselves, each with its own skills.
struct AdvertisingAgents {
    struct Agent {
        var name: String
        var process: ManagedProcess
        var base: String
    }

    /// A suffix that keeps this test's agents apart from those of tests running beside it.
    static func uniqueSuffix() -> String { String(UUID().uuidString.prefix(6)).lowercased() }

    /// Starts one agent per `(name, skills)` with `discoveryArguments`, and waits until each serves its card.
    static func start(
        _ agents: [(name: String, skills: [String])], discoveryArguments: [String], environment: [String: String] = [:]
    ) async throws -> [Agent] {
        let binary = try TestEnvironment.meshBinary()
        var started: [Agent] = []
        do {
            for agent in agents {
                let port = try freeLoopbackPort()
                let process = try ManagedProcess.launch(
                    name: agent.name, executable: binary,
                    arguments: ["conformance", "--port", "\(port)", "--name", agent.name]
                        + agent.skills.flatMap { ["--skill", $0] } + discoveryArguments,
                    environment: ["LOG_LEVEL": "info"].merging(environment) { _, new in new })
                let base = "http://127.0.0.1:\(port)"
                started.append(Agent(name: agent.name, process: process, base: base))
                try await process.waitUntilReady(url: base + "/.well-known/agent-card.json")
            }
        } catch {
            for agent in started { await agent.process.terminate() }
            throw error
        }
        return started
    }

    /// Runs `body` with started agents, then stops every one of them (by pid), whether `body` threw or not.
    static func with<Result: Sendable>(
        _ agents: [(name: String, skills: [String])], discoveryArguments: [String],
        _ body: ([Agent]) async throws -> Result
    ) async throws -> Result {
        let started = try await start(agents, discoveryArguments: discoveryArguments)
        do {
            let result = try await body(started)
            for agent in started { await agent.process.terminate() }
            return result
        } catch {
            for agent in started { await agent.process.terminate() }
            throw error
        }
    }

    /// The agents `GET /agents` on `base` lists for `query` (e.g. `skill=retrieve`).
    static func agentsQuery(_ base: String, _ query: String) async throws -> [AgentSummary] {
        let response = try await rawRequest(base + "/agents?" + query)
        try #require(
            response.status == 200,
            "GET \(base)/agents?\(query): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        return try JSONDecoder().decode([String: [AgentSummary]].self, from: response.body)["agents"] ?? []
    }

    /// The names `mesh discover ... --json` prints.
    static func discoverNames(_ arguments: [String]) async throws -> Set<String> {
        let output = try await runTool(try TestEnvironment.meshBinary(), ["discover", "--json"] + arguments)
        return Set(try JSONDecoder().decode([AgentSummary].self, from: Data(output.utf8)).map(\.name))
    }
}
