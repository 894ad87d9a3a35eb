import A2A
import A2AServer
import Foundation
import MeshRuntime
import MeshTesting
import Redis
import Testing

/// The Redis-backed stores against a real redis-server with an ACL user.
@Suite("Redis task store and shared memory", .serialized)
struct RedisTaskStoreTests {
    func withStore(
        mode: RedisServer.Mode = .plain, retention: RedisTaskStore.Retention = .init(),
        _ body: @escaping @Sendable (RedisTaskStore, RedisConnection, RedisServer) async throws -> Void
    ) async throws {
        try await RedisServer.with(mode: mode) { server async throws in
            let configuration = try RedisConfiguration.load(
                url: server.url, caFile: server.usesTLS ? server.caFile : nil)
            let connection = try await RedisConnection.connect(configuration: configuration)
            let store = RedisTaskStore(redis: connection, keys: RedisKeys(agent: "test"), retention: retention)
            do {
                try await body(store, connection, server)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
    }

    func task(_ id: String, context: String = "c", _ state: TaskState, at seconds: Double) -> A2ATask {
        A2ATask(
            id: id, contextId: context,
            status: TaskStatus(
                state: state, timestamp: Timestamp(Date(timeIntervalSince1970: 1_700_000_000 + seconds))),
            history: [Message(messageId: "m-\(id)", role: .user, parts: [.text("hi \(id)")])])
    }

    @Test func savesReadsAndListsTasks() async throws {
        try await withStore { store, _, server in
            for index in 0..<5 {
                try await store.save(task("t\(index)", context: index < 3 ? "a" : "b", .completed, at: Double(index)))
            }
            #expect(try await store.task(id: "t2")?.history?.first?.text == "hi t2")
            #expect(try await store.task(id: "missing") == nil)
            let first = try await store.list(TaskQuery(pageSize: 2))
            #expect(first.tasks.map(\.id) == ["t4", "t3"])
            #expect(first.totalSize == 5)
            let second = try await store.list(TaskQuery(pageSize: 2, cursor: first.next))
            #expect(second.tasks.map(\.id) == ["t2", "t1"])
            let byContext = try await store.list(TaskQuery(contextId: "b"))
            #expect(byContext.tasks.map(\.id) == ["t4", "t3"])
            let recent = try await store.list(
                TaskQuery(statusTimestampAfter: Date(timeIntervalSince1970: 1_700_000_002.5)))
            #expect(recent.tasks.map(\.id) == ["t4", "t3"])
            // The data really is in Redis, readable with redis-cli as the ACL user.
            let state = try await server.redisCLI("HGET", "mesh:a2a:test:task:{t1}", "state")
            #expect(state == "TASK_STATE_COMPLETED")
        }
    }

    @Test func terminalTasksAreNeverOverwritten() async throws {
        try await withStore { store, connection, _ in
            try await store.save(task("t", .working, at: 0))
            // A restarted or flushed server has forgotten the script; the store loads it again.
            _ = try await connection.run(RedisCommand("SCRIPT", "FLUSH"))
            try await store.save(task("t", .canceled, at: 1))
            await #expect(throws: TaskStoreError.self) { try await store.save(task("t", .completed, at: 2)) }
            #expect(try await store.task(id: "t")?.status.state == .canceled)
        }
    }

    @Test func eventsAreAppendedToTheTaskStream() async throws {
        try await withStore { store, _, _ in
            let working = task("t", .working, at: 0)
            try await store.save(working, event: .task(working))
            let done = task("t", .completed, at: 1)
            let update = StreamResponse.statusUpdate(
                TaskStatusUpdateEvent(taskId: "t", contextId: "c", status: done.status))
            try await store.save(done, event: update)
            let events = try await store.events(taskId: "t")
            #expect(events.count == 2)
            #expect(events.last?.event == update)
            let resumed = try await store.events(taskId: "t", after: events[0].id)
            #expect(resumed.map(\.event) == [update])
        }
    }

    /// Many tasks saving their whole life at once, as a busy agent does: every state and every event is stored,
    /// in order, and the saves shared round trips (fewer scripts ran than saves were made).
    @Test func concurrentTaskLivesAreStoredWhole() async throws {
        try await withStore { store, connection, _ in
            _ = try await connection.run(RedisCommand("CONFIG", "RESETSTAT"))
            let count = 100
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<count {
                    group.addTask {
                        let id = "t\(index)"
                        let submitted = task(id, .submitted, at: 0)
                        try await store.save(submitted, event: .task(submitted))
                        let working = task(id, .working, at: 1)
                        try await store.save(
                            working,
                            event: .statusUpdate(
                                TaskStatusUpdateEvent(taskId: id, contextId: "c", status: working.status)))
                        let artifact = Artifact(artifactId: "a-\(id)", parts: [.text("out \(id)")])
                        var withArtifact = working
                        withArtifact.artifacts = [artifact]
                        try await store.save(
                            withArtifact,
                            event: .artifactUpdate(
                                TaskArtifactUpdateEvent(taskId: id, contextId: "c", artifact: artifact)))
                        var done = task(id, .completed, at: 2)
                        done.artifacts = [artifact]
                        try await store.save(
                            done,
                            event: .statusUpdate(TaskStatusUpdateEvent(taskId: id, contextId: "c", status: done.status))
                        )
                    }
                }
                try await group.waitForAll()
            }
            for index in 0..<count {
                let stored = try #require(try await store.task(id: "t\(index)"))
                #expect(stored.status.state == .completed)
                #expect(stored.artifacts?.first?.parts.first?.text == "out t\(index)")
                let kinds = try await store.events(taskId: "t\(index)").map { entry -> String in
                    switch entry.event {
                    case .task: "task"
                    case .statusUpdate(let update): update.status.state.rawValue
                    case .artifactUpdate: "artifact"
                    case .message: "message"
                    }
                }
                #expect(kinds == ["task", "TASK_STATE_WORKING", "artifact", "TASK_STATE_COMPLETED"])
            }
            #expect(try await store.list(TaskQuery(contextId: "c", pageSize: 500)).totalSize == count)
            let stats = try await connection.run(RedisCommand("INFO", "commandstats")).string ?? ""
            let scripts = stats.split(separator: "\r\n").first { $0.hasPrefix("cmdstat_evalsha:") }
            let calls = scripts.flatMap { $0.split(separator: "calls=").last?.split(separator: ",").first }.flatMap {
                Int($0)
            }
            #expect((calls ?? .max) < count * 4, "\(scripts ?? "no EVALSHA stats")")
        }
    }

    /// With Redis gone, a save that waits fails with the connection's error instead of hanging, and the next
    /// save (which leads the next write) fails the same way: a failed write does not leave the group commit stuck.
    @Test func savesFailWhenRedisIsGone() async throws {
        try await withStore { store, _, server in
            let submitted = task("t", .submitted, at: 0)
            try await store.save(submitted, event: .task(submitted))
            await server.crash()
            let clock = ContinuousClock()
            let began = clock.now
            let done = task("t", .completed, at: 1)
            await #expect(throws: (any Error).self) {
                try await store.save(
                    done, event: .statusUpdate(TaskStatusUpdateEvent(taskId: "t", contextId: "c", status: done.status)))
            }
            let working = task("u", .working, at: 1)
            await #expect(throws: (any Error).self) {
                try await store.save(
                    working,
                    event: .statusUpdate(TaskStatusUpdateEvent(taskId: "u", contextId: "c", status: working.status)))
            }
            #expect(clock.now - began < .seconds(20))
        }
    }

    @Test func terminalTasksExpire() async throws {
        try await withStore(retention: .init(terminal: .seconds(1))) { store, connection, _ in
            try await store.save(task("old", .completed, at: 0))
            try await store.save(task("running", .working, at: 1))
            try await Task.sleep(for: .milliseconds(2200))
            #expect(try await store.task(id: "old") == nil)
            #expect(try await store.task(id: "running") != nil)
            let page = try await store.list(TaskQuery())
            #expect(page.tasks.map(\.id) == ["running"])
            // The index entry of the expired task was removed on the way.
            let indexed = try await connection.run(RedisCommand("ZRANGE", "mesh:a2a:test:tasks", 0, -1))
            #expect(indexed.array?.compactMap(\.string) == ["running"])
        }
    }

    @Test func pushConfigsAndSharedMemory() async throws {
        try await withStore { _, connection, _ in
            let configs = RedisPushConfigStore(redis: connection, keys: RedisKeys(agent: "test"))
            _ = try await configs.save(
                TaskPushNotificationConfig(id: "p1", taskId: "t", url: "http://127.0.0.1:1/a", token: "x"))
            _ = try await configs.save(TaskPushNotificationConfig(id: "p2", taskId: "t", url: "http://127.0.0.1:1/b"))
            #expect(try await configs.config(taskId: "t", id: "p1")?.token == "x")
            #expect(try await configs.configs(taskId: "t").map(\.id) == ["p1", "p2"])
            try await configs.delete(taskId: "t", id: "p1")
            try await configs.delete(taskId: "t", id: "p1")
            #expect(try await configs.configs(taskId: "t").map(\.id) == ["p2"])

            let memory = RedisSharedMemory(redis: connection, keys: RedisKeys(agent: "test"))
            try await memory.write(context: "ctx", name: "plan", value: ["steps": [1, 2]])
            try await memory.append(context: "ctx", name: "notes", value: "first")
            try await memory.append(context: "ctx", name: "notes", value: ["second": true])
            #expect(try await memory.read(context: "ctx", name: "plan") == ["steps": [1, 2]])
            #expect(try await memory.read(context: "other", name: "plan") == nil)
            #expect(try await memory.entries(context: "ctx", name: "notes") == ["first", ["second": true]])
            #expect(try await memory.all(context: "ctx") == ["plan": ["steps": [1, 2]]])
            try await memory.store(KnowledgeChunk(id: "k1", text: "Agents publish cards.", source: "a.md"))
            try await memory.store(KnowledgeChunk(id: "k2", text: "Redis holds memory."))
            #expect(try await memory.chunk(id: "k1")?.source == "a.md")
            #expect(try await memory.chunks().map(\.id) == ["k1", "k2"])
        }
    }

    @Test func worksOverTLSWithAnACLUser() async throws {
        try await withStore(mode: .tls) { store, _, server in
            try await store.save(task("secure", .completed, at: 0))
            #expect(try await store.task(id: "secure")?.status.state == .completed)
            #expect(try await server.redisCLI("HGET", "mesh:a2a:test:task:{secure}", "state") == "TASK_STATE_COMPLETED")
        }
    }
}
