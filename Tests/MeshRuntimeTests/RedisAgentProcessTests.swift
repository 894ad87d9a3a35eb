import A2A
import A2AClient
import Foundation
import MeshTesting
import Testing

/// `mesh conformance` processes that keep their tasks in a real Redis.
@Suite("Agents on Redis", .serialized, .timeLimit(.minutes(3)))
struct RedisAgentProcessTests {
    /// Runs `mesh conformance` with `arguments` until it is ready, then `body` with its base URL.
    static func withAgent(
        _ arguments: [String], environment: [String: String] = [:], _ body: (String) async throws -> Void
    ) async throws {
        let port = try freeLoopbackPort()
        try await ManagedProcess.withLaunched(
            name: "mesh-conformance-redis", executable: try TestEnvironment.meshBinary(),
            arguments: ["conformance", "--port", "\(port)"] + arguments, environment: environment
        ) { process in
            let base = "http://127.0.0.1:\(port)"
            do {
                try await process.waitUntilReady(url: base + "/.well-known/agent-card.json")
            } catch {
                Issue.record("agent did not start: \(process.stderrTail())")
                throw error
            }
            try await body(base)
        }
    }

    /// Starts `mesh conformance` expecting it to fail at start; returns its exit code and stderr.
    static func failingStart(_ arguments: [String]) async throws -> (code: Int32?, stderr: String) {
        let process = try ManagedProcess.launch(
            name: "mesh-conformance-bad-redis", executable: try TestEnvironment.meshBinary(),
            arguments: ["conformance", "--port", "\(try freeLoopbackPort())"] + arguments)
        let deadline = ContinuousClock.now + .seconds(20)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        defer { process.removeLogs() }
        if process.isRunning { await process.terminate() }
        let status = process.exitCode.map { ($0 >> 8) & 0xFF }
        return (status, process.standardError().trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func send(_ text: String, to base: String) async throws -> A2ATask {
        let client = try await A2AClient.connect(to: base)
        let reply = try await client.sendMessage(SendMessageRequest(message: Message(messageId: UUID().uuidString, role: .user, parts: [.text(text)])))
        guard case .task(let task) = reply else {
            Issue.record("expected a task, got \(reply)")
            throw CancellationError()
        }
        return task
    }

    @Test func replicasShareTasksOverTLSWithAnACLUser() async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            let arguments = ["--redis-url", server.url, "--redis-ca", server.caFile]
            try await Self.withAgent(arguments) { first in
                try await Self.withAgent(arguments) { second in
                    let task = try await send("stored in redis", to: first)
                    let client = try await A2AClient.connect(to: second)
                    let fetched = try await client.getTask(GetTaskRequest(id: task.id))
                    #expect(fetched.status.state == .completed)
                    #expect(fetched.artifacts?.first?.parts == [.text("stored in redis")])
                    let listed = try await client.listTasks(ListTasksRequest())
                    #expect(listed.tasks.map(\.id).contains(task.id))
                    let state = try await server.redisCLI("HGET", "mesh:a2a:conformance:task:{\(task.id)}", "state")
                    #expect(state == "TASK_STATE_COMPLETED")
                }
            }
        }
    }

    @Test func anyReplicaFollowsATaskRunningOnAnother() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            let arguments = ["--redis-url", server.url]
            let environment = ["TCK_STREAMING_TIMEOUT": "0.75"]
            try await Self.withAgent(arguments, environment: environment) { first in
                try await Self.withAgent(arguments, environment: environment) { second in
                    let runner = try await A2AClient.connect(to: first)
                    let started = try await runner.sendMessage(SendMessageRequest(
                        message: Message(messageId: "test-resubscribe-message-id-\(UUID().uuidString)", role: .user, parts: [.text("long")]),
                        configuration: SendMessageConfiguration(returnImmediately: true)))
                    guard case .task(let task) = started else { Issue.record("expected a task"); return }
                    let follower = try await A2AClient.connect(to: second)
                    var states: [TaskState] = []
                    for try await event in try await follower.subscribeToTask(SubscribeToTaskRequest(id: task.id)) {
                        switch event {
                        case .task(let snapshot): states.append(snapshot.status.state)
                        case .statusUpdate(let update): states.append(update.status.state)
                        default: break
                        }
                    }
                    #expect(states.first == .working)
                    #expect(states.last == .completed)
                }
            }
        }
    }

    @Test func wrongPasswordStopsTheAgentWithOneLine() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            let url = "redis://\(server.username):not-the-password@127.0.0.1:\(server.port)"
            let (code, stderr) = try await Self.failingStart(["--redis-url", url])
            #expect(code == 1)
            #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr)")
            #expect(stderr.contains("'\(server.username)'"))
            #expect(stderr.contains("127.0.0.1:\(server.port)"))
            #expect(stderr.contains("WRONGPASS"))
            #expect(!stderr.contains("not-the-password"), "the password is never printed")
        }
    }

    @Test func untrustedCertificateNamesTheCAFile() async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            let (code, stderr) = try await Self.failingStart(["--redis-url", server.url, "--redis-ca", server.otherCAFile])
            #expect(code == 1)
            #expect(stderr.contains(server.otherCAFile), "\(stderr)")
        }
    }

    @Test func missingClientCertificateIsNamed() async throws {
        try await RedisServer.with(mode: .mutualTLS) { server async throws in
            let (code, stderr) = try await Self.failingStart(["--redis-url", server.url, "--redis-ca", server.caFile])
            #expect(code == 1)
            #expect(stderr.lowercased().contains("client certificate"), "\(stderr)")
        }
    }

    @Test func mutualTLSWorksWithAClientCertificate() async throws {
        try await RedisServer.with(mode: .mutualTLS) { server async throws in
            let arguments = [
                "--redis-url", server.url, "--redis-ca", server.caFile, "--redis-cert", server.clientCertFile,
                "--redis-key", server.clientKeyFile,
            ]
            try await Self.withAgent(arguments) { base in
                let task = try await send("over mutual TLS", to: base)
                #expect(task.status.state == .completed)
            }
        }
    }

    @Test func refusedConnectionNamesTheAddress() async throws {
        let port = try freeLoopbackPort()
        let (code, stderr) = try await Self.failingStart(["--redis-url", "redis://mesh:pw@127.0.0.1:\(port)"])
        #expect(code == 1)
        #expect(stderr.contains("127.0.0.1:\(port)"), "\(stderr)")
        #expect(stderr.lowercased().contains("refused"), "\(stderr)")
    }

    @Test func plainAndTLSMismatchesAreNamed() async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            let plainURL = server.url.replacingOccurrences(of: "rediss://", with: "redis://")
            let (code, stderr) = try await Self.failingStart(["--redis-url", plainURL])
            #expect(code == 1)
            #expect(stderr.contains("TLS"), "\(stderr)")
        }
        try await RedisServer.with(mode: .plain) { server async throws in
            let tlsURL = server.url.replacingOccurrences(of: "redis://", with: "rediss://")
            let (code, stderr) = try await Self.failingStart(["--redis-url", tlsURL, "--redis-ca", server.caFile])
            #expect(code == 1)
            #expect(stderr.contains("TLS"), "\(stderr)")
        }
    }

    @Test func aRedisRestartLosesNoAcknowledgedTask() async throws {
        try await RedisServer.with(mode: .plain, appendOnly: true) { server async throws in
            try await Self.withAgent(["--redis-url", server.url]) { base in
                let before = try await send("before the restart", to: base)
                try await server.restart()
                // The agent reconnects on its own; the first calls may wait for it.
                var after: A2ATask?
                let deadline = ContinuousClock.now + .seconds(15)
                while after == nil, ContinuousClock.now < deadline {
                    after = try? await send("after the restart", to: base)
                    if after == nil { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(after?.status.state == .completed)
                let client = try await A2AClient.connect(to: base)
                let fetched = try await client.getTask(GetTaskRequest(id: before.id))
                #expect(fetched.artifacts?.first?.parts == [.text("before the restart")])
            }
        }
    }
}
