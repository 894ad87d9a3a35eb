import A2A
import Foundation
import Synchronization

/// A ``TaskStore`` in process memory that bounds itself by evicting terminal tasks.
///
/// Tasks that are still running are never evicted. Terminal tasks leave after `maxAge`,
/// or oldest first once there are more than `maxTerminalTasks` of them.
public final class InMemoryTaskStore: TaskStore {
    /// How long terminal tasks are kept.
    public struct Retention: Sendable {
        public var maxTerminalTasks: Int
        public var maxAge: Duration

        public init(maxTerminalTasks: Int = 10_000, maxAge: Duration = .seconds(3600)) {
            self.maxTerminalTasks = maxTerminalTasks
            self.maxAge = maxAge
        }
    }

    private struct State {
        var tasks: [String: A2ATask] = [:]
        /// Terminal task ids in the order they became terminal; `head` skips the evicted prefix.
        var terminalOrder: [(id: String, at: ContinuousClock.Instant)] = []
        var head = 0
        var terminalCount: Int { terminalOrder.count - head }
    }

    private let state = Mutex(State())
    private let retention: Retention

    public init(retention: Retention = Retention()) {
        self.retention = retention
    }

    public nonisolated(nonsending) func save(_ task: A2ATask, event: StreamResponse?) async throws {
        let now = ContinuousClock.now
        state.withLock { state in
            let wasTerminal = state.tasks[task.id]?.status.state.isTerminal ?? false
            state.tasks[task.id] = task
            if task.status.state.isTerminal, !wasTerminal {
                state.terminalOrder.append((task.id, now))
            }
            evict(&state, now: now)
        }
    }

    public nonisolated(nonsending) func task(id: String) async throws -> A2ATask? {
        state.withLock { $0.tasks[id] }
    }

    public nonisolated(nonsending) func list(_ query: TaskQuery) async throws -> TaskPage {
        let matching = state.withLock { state in state.tasks.values.filter(query.matches) }
        let sorted = matching.sorted { $0.listsBefore($1) }
        let start = query.cursor.map { cursor in sorted.firstIndex(where: cursor.precedes) ?? sorted.endIndex } ?? 0
        let page = Array(sorted[start...].prefix(query.pageSize))
        let hasMore = start + page.count < sorted.count
        return TaskPage(tasks: page, next: hasMore ? page.last.map(TaskCursor.init(after:)) : nil, totalSize: sorted.count)
    }

    /// The number of tasks held, for tests and metrics.
    public var count: Int { state.withLock { $0.tasks.count } }

    private func evict(_ state: inout State, now: ContinuousClock.Instant) {
        while state.terminalCount > 0 {
            let oldest = state.terminalOrder[state.head]
            guard state.terminalCount > retention.maxTerminalTasks || now - oldest.at > retention.maxAge else { break }
            if state.tasks[oldest.id]?.status.state.isTerminal == true {
                state.tasks[oldest.id] = nil
            }
            state.head += 1
        }
        // Compact the order list once the evicted prefix dominates it.
        if state.head > 1024, state.head * 2 > state.terminalOrder.count {
            state.terminalOrder.removeFirst(state.head)
            state.head = 0
        }
    }
}
