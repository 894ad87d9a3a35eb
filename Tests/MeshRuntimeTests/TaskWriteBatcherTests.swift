import A2A
import Foundation
import Synchronization
import Testing

@testable import MeshRuntime

/// The group commit of the Redis task store, with a flush that records what it was given (the Redis side is
/// covered in RedisTaskStoreTests).
@Suite("Task write batcher")
struct TaskWriteBatcherTests {
    /// Records each batch; while the gate is shut, a flush waits (so a test decides when a write completes).
    final class Recorder: Sendable {
        let batches = Mutex<[[TaskWriteBatcher.PendingWrite]]>([])
        let failing = Mutex<Set<String>>([])
        let gateOpen: Mutex<Bool>
        let flushesStarted = Mutex(0)

        init(gateOpen: Bool = true) {
            self.gateOpen = Mutex(gateOpen)
        }

        func flush(_ batch: [TaskWriteBatcher.PendingWrite]) async -> [String: Result<Void, any Error>] {
            flushesStarted.withLock { $0 += 1 }
            while !gateOpen.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(1)) }
            batches.withLock { $0.append(batch) }
            let failing = failing.withLock { $0 }
            return Dictionary(
                uniqueKeysWithValues: batch.map { write in
                    (write.task.id, failing.contains(write.task.id) ? .failure(FlushFailure()) : .success(()))
                })
        }

        func open() { gateOpen.withLock { $0 = true } }

        var written: [TaskWriteBatcher.PendingWrite] { batches.withLock { $0.flatMap { $0 } } }
    }

    /// Waits (up to 10 s) until `condition` holds.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return true
    }

    struct FlushFailure: Error {}

    static func task(_ id: String, _ state: TaskState) -> A2ATask {
        A2ATask(id: id, contextId: "c", status: TaskStatus(state: state))
    }

    static func update(_ id: String, _ state: TaskState) -> StreamResponse {
        .statusUpdate(TaskStatusUpdateEvent(taskId: id, contextId: "c", status: TaskStatus(state: state)))
    }

    static func artifact(_ id: String) -> StreamResponse {
        .artifactUpdate(
            TaskArtifactUpdateEvent(
                taskId: id, contextId: "c", artifact: Artifact(artifactId: "a", parts: [.text("x")])))
    }

    @Test func concurrentSavesShareBatchesAndAllAreStored() async throws {
        let recorder = Recorder(gateOpen: false)
        let batcher = TaskWriteBatcher { await recorder.flush($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await batcher.save(Self.task("t\(index)", .completed), event: nil, wait: true)
                    // A waiting save returns only once its batch was flushed.
                    #expect(recorder.written.contains { $0.task.id == "t\(index)" })
                }
            }
            // One save leads and its write is held; the other 49 queue behind it, then go out as one batch.
            #expect(await Self.eventually { recorder.flushesStarted.withLock { $0 } == 1 && batcher.queuedTasks == 49 })
            recorder.open()
            try await group.waitForAll()
        }
        let written = recorder.written.map(\.task.id)
        #expect(Set(written) == Set((0..<50).map { "t\($0)" }))
        #expect(written.count == 50)
        #expect(recorder.batches.withLock { $0.map(\.count) } == [1, 49])
    }

    @Test func progressSavesJoinARunningWriteAndAreCoalesced() async throws {
        let recorder = Recorder(gateOpen: false)
        let batcher = TaskWriteBatcher { await recorder.flush($0) }
        let first = Self.update("b", .working)
        let second = Self.artifact("b")
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The first save leads and its write is held; meanwhile the other task's progress is queued and the
            // saver goes on without waiting for it.
            group.addTask { try await batcher.save(Self.task("a", .submitted), event: nil, wait: true) }
            #expect(await Self.eventually { recorder.flushesStarted.withLock { $0 } == 1 })
            try await batcher.save(Self.task("b", .working), event: first, wait: false)
            try await batcher.save(Self.task("b", .working), event: second, wait: false)
            #expect(!recorder.written.contains { $0.task.id == "b" })
            recorder.open()
            try await group.waitForAll()
        }
        // The leader stayed until the queue was empty: both progress saves are stored, as one write of the
        // latest state with both events in order.
        let writes = recorder.written.filter { $0.task.id == "b" }
        #expect(writes.count == 1)
        #expect(writes.first?.events == [first, second])
    }

    @Test func aFailedWriteReachesOnlyItsOwnSaver() async throws {
        let recorder = Recorder()
        recorder.failing.withLock { $0.insert("bad") }
        let batcher = TaskWriteBatcher { await recorder.flush($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await #expect(throws: FlushFailure.self) {
                    try await batcher.save(Self.task("bad", .completed), event: nil, wait: true)
                }
            }
            for index in 0..<10 {
                group.addTask { try await batcher.save(Self.task("ok\(index)", .completed), event: nil, wait: true) }
            }
            try await group.waitForAll()
        }
        #expect(recorder.written.count == 11)
        // The batcher is usable after a failure.
        try await batcher.save(Self.task("later", .completed), event: nil, wait: true)
        #expect(recorder.written.last?.task.id == "later")
    }

    @Test func aLoneProgressSaveIsWrittenBeforeItReturns() async throws {
        let recorder = Recorder()
        let batcher = TaskWriteBatcher { await recorder.flush($0) }
        // With nobody writing, the saver leads, so its save cannot be left behind in the queue.
        try await batcher.save(Self.task("x", .working), event: Self.update("x", .working), wait: false)
        #expect(recorder.written.map(\.task.id) == ["x"])
    }

    @Test func whichSavesWait() {
        let working = Self.task("t", .working)
        #expect(!RedisTaskStore.mustWait(working, event: Self.update("t", .working)))
        #expect(RedisTaskStore.mustWait(working, event: .task(working)))
        #expect(RedisTaskStore.mustWait(working, event: nil))
        let asking = Self.task("t", .inputRequired)
        #expect(RedisTaskStore.mustWait(asking, event: Self.update("t", .inputRequired)))
        let done = Self.task("t", .completed)
        #expect(RedisTaskStore.mustWait(done, event: Self.update("t", .completed)))
    }
}
