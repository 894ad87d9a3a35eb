import Foundation
import MeshTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The product from a clean state: `mesh up`, then `mesh task "..." --follow` in another process.
@Suite("mesh up and mesh task", .serialized, .timeLimit(.minutes(6)))
struct UpTaskTests {
    @Test func aTaskFollowedFromTheCLIRunsTheDefaultPipelineOnSixAgentProcesses() async throws {
        try await HeavyTests.exclusive {
            try await self.aTaskFollowedFromTheCLIRunsTheDefaultPipelineOnSixAgentProcessesBody()
        }
    }

    func aTaskFollowedFromTheCLIRunsTheDefaultPipelineOnSixAgentProcessesBody() async throws {
        let registryPort = try freeLoopbackPort()
        let fixture = try UpFixture(
            agents: [
                ("master", 1), ("llm-gateway", 1), ("worker-a", 1), ("worker-b", 1), ("worker-c", 1), ("worker-d", 1),
            ],
            discovery: "modes: [registry]\n  registry: { url: \"http://127.0.0.1:\(registryPort)\" }")
        // The sample corpus next to mesh.yaml: `mesh up` ingests it into the empty knowledge base.
        try FileManager.default.copyItem(
            at: try TestEnvironment.packageRoot().appendingPathComponent("knowledge"),
            to: URL(fileURLWithPath: fixture.directory).appendingPathComponent("knowledge"))
        let up = try fixture.launch()
        defer { fixture.remove() }
        do {
            let ready = try await waitForOutput(up, containing: "mesh is up", timeout: .seconds(120))
            #expect(ready.contains("ingested"), "the knowledge base was not seeded: \(ready.suffix(2000))")
            let state = try fixture.state()
            let agents = state.processes.filter { $0.agent != nil }
            #expect(agents.count == 6)
            #expect(Set(agents.compactMap(\.pid)).count == 6, "six separate processes")
            let master = "http://127.0.0.1:\(fixture.ports["master"]!)"

            let task = try ManagedProcess.launch(
                name: "mesh-task", executable: try TestEnvironment.meshBinary(),
                arguments: ["task", "Explain the A2A protocol", "--follow", "--master", master],
                environment: ["MASTER_URL": ""])
            defer { task.removeLogs() }
            let status = try await waitForExit(task, timeout: .seconds(120))
            #expect(status == 0, "mesh task: \(task.standardError())\n\(up.standardOutput().suffix(4000))")
            let markdown = task.standardOutput()
            #expect(markdown.contains("# Explain the A2A protocol"), "\(markdown)")
            #expect(markdown.contains("## Sources") && markdown.contains(".md**"), "no cited source: \(markdown)")
            let progress = task.standardError()
            for step in ["plan", "retrieve", "evaluate", "finalize"] {
                #expect(progress.contains(step), "no \(step) in the progress: \(progress)")
            }

            // Each step's record is in Redis: the task hash names every step's agent.
            let id = try #require(
                progress.split(separator: "\n").compactMap { line -> String? in
                    guard let range = line.range(of: "task ") else { return nil }
                    let word = line[range.upperBound...].prefix { $0.isHexDigit || $0 == "-" }
                    return word.count == 36 ? String(word) : nil
                }.first, "no task id in: \(progress)")
            let password = try fixture.password()
            let tls = ["--tls", "--cacert", fixture.caFile, "--no-auth-warning", "--user", "mesh", "--pass", password]
            let json = try await redisCLI(port: fixture.redisPort, tls + ["HGET", "uptest:task:{\(id)}", "json"]).output
            for agent in ["worker-a", "worker-b", "worker-c", "worker-d"] {
                #expect(json.contains("\"agent\":\"\(agent)\""), "\(agent) is not in the record: \(json.prefix(2000))")
            }
            #expect(
                try await redisCLI(port: fixture.redisPort, tls + ["HGET", "uptest:task:{\(id)}", "state"]).output
                    == "completed")

            #expect(kill(up.pid, SIGTERM) == 0)
            #expect(try await waitForExit(up, timeout: .seconds(60)) != nil)
        } catch {
            if up.isRunning { await up.terminate() }
            throw error
        }
    }
}
