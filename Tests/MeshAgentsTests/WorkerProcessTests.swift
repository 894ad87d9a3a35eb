import A2A
import A2AClient
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import Testing

/// `mesh agent NAME` as a real process.
@Suite struct WorkerProcessTests {
    /// A mesh directory with `mesh.yaml` (static discovery, the given agents) and copies of their shipped files.
    static func meshDirectory(agents: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mesh-agent-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("agents"), withIntermediateDirectories: true)
        let mesh = """
            mesh: { name: test, keyPrefix: "test:" }
            discovery: { modes: [static], static: [] }
            agents:
            \(agents.map { "  - { name: \($0) }" }.joined(separator: "\n"))
            """
        try mesh.write(to: directory.appendingPathComponent("mesh.yaml"), atomically: true, encoding: .utf8)
        let root = try TestEnvironment.packageRoot()
        for agent in agents {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent("agents/\(agent).yaml"),
                to: directory.appendingPathComponent("agents/\(agent).yaml"))
        }
        return directory.path
    }

    /// Runs `mesh agent` expecting it to exit at start; returns its exit status and stderr.
    static func failingStart(_ arguments: [String]) async throws -> (code: Int32?, stderr: String) {
        let process = try ManagedProcess.launch(
            name: "mesh-agent-bad", executable: try TestEnvironment.meshBinary(), arguments: ["agent"] + arguments,
            environment: ["REDIS_URL": "", "REDIS_HOST": "", "LLM_GATEWAY_URL": ""])
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        defer { process.removeLogs() }
        if process.isRunning { await process.terminate() }
        return (
            process.exitCode.map { ($0 >> 8) & 0xFF },
            process.standardError().trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }

    @Test func workerBServesItsCardAndAnswers() async throws {
        let directory = try Self.meshDirectory(agents: ["worker-b"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try freeLoopbackPort()
        try await ManagedProcess.withLaunched(
            name: "mesh-agent-worker-b", executable: try TestEnvironment.meshBinary(),
            arguments: ["agent", "worker-b", "--config", directory + "/mesh.yaml", "--port", "\(port)"],
            environment: ["REDIS_URL": "", "REDIS_HOST": "", "AGENT_ID": "", "CAPABILITIES": "", "MESH_DISCOVERY": ""]
        ) { process in
            let base = "http://127.0.0.1:\(port)"
            try await process.waitUntilReady(url: base + "/ping")
            let client = try await A2AClient.connect(to: base)
            #expect(client.card?.name == "worker-b")
            #expect(client.card?.skills.map(\.id) == ["retrieve"])
            let message = Message(messageId: UUID().uuidString, role: .user, parts: [.text("What is an agent card?")])
            guard case .task(let task) = try await client.sendMessage(SendMessageRequest(message: message)) else {
                Issue.record("expected a task")
                return
            }
            // Its knowledge base is empty (in-memory shared memory), so it finds nothing but still completes.
            #expect(task.status.state == .completed)
            #expect(task.artifacts?.first?.name == "passages")
            #expect(
                (process.standardError() + process.standardOutput()).contains("no Redis configured"),
                "\(process.stderrTail())")
        }
    }

    @Test func theMasterWithoutRedisAndABadConfigurationStartNothing() async throws {
        let directory = try Self.meshDirectory(agents: ["master", "worker-b"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let master = try await Self.failingStart(["master", "--config", directory + "/mesh.yaml"])
        #expect(master.code == 1)
        #expect(master.stderr.contains("keeps its tasks in Redis"), "\(master.stderr)")

        let unknown = try await Self.failingStart(["worker-x", "--config", directory + "/mesh.yaml"])
        #expect(unknown.code == 1)
        #expect(unknown.stderr.contains("worker-x") && !unknown.stderr.contains("\n"), "\(unknown.stderr)")

        let missing = try await Self.failingStart(["worker-b", "--config", directory + "/nope.yaml"])
        #expect(missing.code == 1)
        #expect(missing.stderr.contains("nope.yaml"), "\(missing.stderr)")
    }

    /// What `mesh up` shows when an agent cannot listen (its port taken, an address not on this machine): one line
    /// naming the address, then exit 1.
    @Test func anAgentThatCannotListenSaysWhyAndExits() async throws {
        let directory = try Self.meshDirectory(agents: ["worker-b"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await HTTPTestServer.withServer(respond: { _ in .json("{}") }) { occupant in
            let busy = try await Self.failingStart([
                "worker-b", "--config", directory + "/mesh.yaml", "--port", "\(occupant.port)",
            ])
            #expect(busy.code == 1)
            #expect(
                busy.stderr.hasSuffix(
                    "mesh agent: cannot listen on 127.0.0.1:\(occupant.port): the port is in use by another process"),
                "\(busy.stderr)")
        }
        // 192.0.2.1 (TEST-NET-1) is no address of this machine.
        let elsewhere = try await Self.failingStart([
            "worker-b", "--config", directory + "/mesh.yaml", "--host", "192.0.2.1", "--port", "18123",
        ])
        #expect(elsewhere.code == 1)
        #expect(
            elsewhere.stderr.hasSuffix(
                "mesh agent: cannot listen on 192.0.2.1:18123: no network interface of this machine has that address"),
            "\(elsewhere.stderr)")
    }
}
