import A2A
import Synchronization

/// Group commit for ``RedisTaskStore``: saves that arrive while a write is on its way to Redis wait and go out
/// together in the next pipeline, and several saves of one task in a batch become one write of its latest state
/// with all their events.
///
/// There is no background writer: the first saver leads and writes batches until its own save is stored, then
/// hands the lead to a saver still waiting. A save that does not need to wait (a task's progress, see
/// ``RedisTaskStore/save(_:event:)``) returns at once when a leader is writing, since that leader keeps going
/// until nobody else can pick it up.
final class TaskWriteBatcher: Sendable {
    /// One task's writes waiting for the next batch.
    struct PendingWrite: Sendable {
        var task: A2ATask
        var events: [StreamResponse]
        /// Savers waiting until this write is stored.
        var waiters: [CheckedContinuation<Turn, Never>] = []
    }

    /// What a waiting saver is told.
    enum Turn: Sendable {
        /// The save is stored (or refused with this error).
        case done(Result<Void, any Error>)
        /// The leader left while saves are queued: this saver writes the next batches.
        case lead
    }

    private struct State {
        var queue: [String: PendingWrite] = [:]
        /// Task ids in the order their first write arrived, so batches keep arrival order.
        var order: [String] = []
        var leading = false
    }

    /// Writes one batch; a failed task's error is in the result for that task id.
    typealias Flush = @Sendable ([PendingWrite]) async -> [String: Result<Void, any Error>]

    private let state = Mutex(State())
    private let flush: Flush

    init(flush: @escaping Flush) {
        self.flush = flush
    }

    /// Queues `task` with `event` and waits until it is stored, or, when `wait` is false and a leader is
    /// writing, returns at once.
    func save(_ task: A2ATask, event: StreamResponse?, wait: Bool) async throws {
        // Queueing and starting to wait happen under one lock, so a leader never takes a save whose saver is
        // not yet listening.
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<Turn, Never>) in
            let immediate: Turn? = state.withLock { state in
                Self.enqueue(task, event: event, into: &state)
                if !state.leading {
                    state.leading = true
                    return .lead
                }
                guard wait else { return .done(.success(())) }
                state.queue[task.id]!.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        switch turn {
        case .done(let result): try result.get()
        case .lead: try await lead(until: task.id)
        }
    }

    /// Writes batches until `taskId`'s save is stored, then passes the lead on (or drops it when nothing is
    /// queued).
    private func lead(until taskId: String) async throws {
        var own: Result<Void, any Error>?
        while true {
            let batch: [PendingWrite] = state.withLock { state in
                let batch = state.order.compactMap { state.queue[$0] }
                state.queue.removeAll(keepingCapacity: true)
                state.order.removeAll(keepingCapacity: true)
                return batch
            }
            if !batch.isEmpty {
                let results = await flush(batch)
                for write in batch {
                    let result = results[write.task.id] ?? .success(())
                    if write.task.id == taskId, own == nil { own = result }
                    for waiter in write.waiters { waiter.resume(returning: .done(result)) }
                }
            }
            // Stop when nothing is queued; once this save is stored, hand the lead to a waiting saver. Saves
            // that nobody waits for are written here before leaving, or they would sit in the queue.
            let next: CheckedContinuation<Turn, Never>?? = state.withLock { state in
                if state.queue.isEmpty {
                    state.leading = false
                    return .some(nil)
                }
                guard own != nil else { return nil }
                for id in state.order {
                    if let waiter = state.queue[id]?.waiters.popLast() { return .some(waiter) }
                }
                return nil
            }
            if let next {
                next?.resume(returning: .lead)
                break
            }
        }
        try (own ?? .success(())).get()
    }

    /// Tasks whose writes wait for the next batch (for tests).
    var queuedTasks: Int { state.withLock { $0.queue.count } }

    private static func enqueue(_ task: A2ATask, event: StreamResponse?, into state: inout State) {
        if state.queue[task.id] == nil {
            state.order.append(task.id)
            state.queue[task.id] = PendingWrite(task: task, events: event.map { [$0] } ?? [])
        } else {
            state.queue[task.id]!.task = task
            if let event { state.queue[task.id]!.events.append(event) }
        }
    }
}
