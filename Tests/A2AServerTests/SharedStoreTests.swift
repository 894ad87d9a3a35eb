import A2A
@testable import A2AServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A store shared with another process that canceled the task after the first two writes.
final class CanceledElsewhereStore: TaskStore {
    private let inner = InMemoryTaskStore()
    private let writes = Mutex(0)

    nonisolated(nonsending) func save(_ task: A2ATask, event: StreamResponse?) async throws {
        let count = writes.withLock { count -> Int in
            count += 1
            return count
        }
        if count >= 3 {
            var stored = try await inner.task(id: task.id) ?? task
            stored.status = TaskStatus(state: .canceled)
            try await inner.save(stored)
            throw TaskStoreError.alreadyTerminal(stored)
        }
        try await inner.save(task, event: event)
    }

    nonisolated(nonsending) func task(id: String) async throws -> A2ATask? { try await inner.task(id: id) }
    nonisolated(nonsending) func list(_ query: TaskQuery) async throws -> TaskPage { try await inner.list(query) }
}

@Suite("Shared task stores")
struct SharedStoreTests {
    @Test func aTaskFinishedElsewhereIsNotOverwritten() async throws {
        try await TestAgent(store: CanceledElsewhereStore()).app.test(.router) { client in
            let task = try await client.sendTask("hello")
            #expect(task.status.state == .canceled)
            #expect(task.artifacts == nil, "the artifact write after the cancel was refused")
            let fetched = try await client.rpc("GetTask", ["id": .string(task.id)], as: A2ATask.self)
            #expect(fetched.result?.status.state == .canceled)
        }
    }
}
