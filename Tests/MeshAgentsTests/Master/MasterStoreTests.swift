import Foundation
import MeshTesting
import Redis
import Testing

@testable import MeshAgents

/// The master's save script against a real redis-server: the save that ends a task acknowledges its dispatch
/// entry in the same script, and a save that loses its compare-and-set acknowledges nothing.
@Suite("Master store", .serialized)
struct MasterStoreTests {
    func withStore(_ body: @escaping @Sendable (MasterStore, RedisConnection) async throws -> Void) async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            let connection = try await RedisConnection.connect(
                configuration: try RedisConfiguration.load(url: server.url))
            do {
                try await body(MasterStore(redis: connection, keys: MasterKeys(prefix: "t:")), connection)
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
        }
    }

    /// Submits a queued task and reads its dispatch entry as consumer `m1`.
    func submitAndRead(_ store: MasterStore, _ id: String) async throws -> (MeshTask, String) {
        _ = try await store.redis.xgroupCreate(store.keys.dispatch, group: store.keys.group, startingAt: "0")
        let task = MeshTaskJSONFixtures.task(id, state: .queued, skill: "answer")
        _ = try await store.submit(
            task, event: MeshTaskEvent(.queued, task: task), idempotencyKey: nil, fingerprint: "")
        let entries = try await store.redis.xreadgroup(
            store.keys.dispatch, group: store.keys.group, consumer: "m1", count: 10)
        let entry = try #require(entries.first { $0["task"] == id })
        return (task, entry.id)
    }

    @Test func theEndingSaveAcknowledgesItsEntry() async throws {
        try await withStore { store, connection in
            let (task, entry) = try await submitAndRead(store, "a")
            #expect(try await connection.xpendingSummary(store.keys.dispatch, group: store.keys.group).count == 1)
            var done = task
            done.state = .completed
            let version = try await store.save(
                done, version: 1, events: [MeshTaskEvent(.completed, task: done)], acknowledging: entry)
            #expect(version == 2)
            #expect(try await connection.xpendingSummary(store.keys.dispatch, group: store.keys.group).count == 0)
            #expect(try await connection.xlen(store.keys.dispatch) == 0)
            #expect(try await store.state(of: "a") == .completed)
        }
    }

    @Test func aConflictingSaveAcknowledgesNothing() async throws {
        try await withStore { store, connection in
            let (task, entry) = try await submitAndRead(store, "b")
            var done = task
            done.state = .completed
            await #expect(throws: MasterStore.SaveError.self) {
                try await store.save(done, version: 7, events: [], acknowledging: entry)
            }
            #expect(try await connection.xpendingSummary(store.keys.dispatch, group: store.keys.group).count == 1)
            #expect(try await connection.xlen(store.keys.dispatch) == 1)
            // A save without an entry to acknowledge leaves the stream alone.
            var running = task
            running.state = .running
            try await store.save(running, version: 1, events: [])
            #expect(try await connection.xlen(store.keys.dispatch) == 1)
            #expect(try await store.state(of: "b") == .running)
            #expect(try await store.state(of: "missing") == nil)
        }
    }
}
