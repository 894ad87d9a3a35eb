import A2A
import Synchronization

/// A task store shared by several processes that can follow the events another process writes,
/// so SubscribeToTask works on any replica, not only the one running the task.
public protocol TaskEventFollowing: Sendable {
    /// The task's events after `cursor` (from the start when nil), waiting up to `wait` for the first.
    /// Returns them with the cursor to continue from.
    func events(of taskId: String, after cursor: String?, wait: Duration) async throws
        -> (events: [StreamResponse], cursor: String?)
}

/// Follows a task that runs in another process: the stored task first, then its events as the store
/// receives them, until the task is terminal. Reads happen as the consumer asks for the next event.
final class FollowedTask: Sendable {
    struct State {
        var cursor: String?
        var pending: [StreamResponse] = []
        var started = false
        var finished = false
    }

    let task: A2ATask
    let source: any TaskEventFollowing
    private let state: Mutex<State>

    init(task: A2ATask, source: any TaskEventFollowing, cursor: String?) {
        self.task = task
        self.source = source
        self.state = Mutex(State(cursor: cursor))
    }

    /// The next event, or nil once a terminal status went out.
    func next() async throws -> StreamResponse? {
        if state.withLock({ $0.finished }) { return nil }
        if !state.withLock({ $0.started }) {
            state.withLock { $0.started = true }
            return .task(task)
        }
        while true {
            if let event = state.withLock({ state -> StreamResponse? in
                guard !state.pending.isEmpty else { return nil }
                let event = state.pending.removeFirst()
                if case .statusUpdate(let update) = event, update.status.state.isTerminal { state.finished = true }
                if case .task(let task) = event, task.status.state.isTerminal { state.finished = true }
                return event
            }) {
                return event
            }
            try Task.checkCancellation()
            let cursor = state.withLock { $0.cursor }
            let (events, next) = try await source.events(of: task.id, after: cursor, wait: .seconds(5))
            state.withLock { state in
                state.pending += events
                state.cursor = next ?? state.cursor
            }
        }
    }

    /// The events as a stream that reads on demand (no background task).
    var stream: AsyncThrowingStream<StreamResponse, Error> {
        AsyncThrowingStream { try await self.next() }
    }
}
