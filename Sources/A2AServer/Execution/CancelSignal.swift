import Synchronization

/// Cancels one running execution from outside it (CancelTask), without an extra watcher task.
///
/// The execution attaches its own task while it runs and detaches before it returns, so `fire`
/// only ever cancels a live task.
final class CancelSignal: Sendable {
    private struct State {
        var fired = false
        nonisolated(unsafe) var task: UnsafeCurrentTask?
    }

    private let state = Mutex(State())

    /// Asks the execution to stop: cancels its task now, or as soon as it attaches.
    func fire() {
        state.withLock { state in
            state.fired = true
            state.task?.cancel()
        }
    }

    var isFired: Bool { state.withLock { $0.fired } }

    /// Runs `body` in the current task, which `fire` cancels.
    nonisolated(nonsending) func run(_ body: () async throws -> Void) async throws {
        withUnsafeCurrentTask { task in
            state.withLock { state in
                state.task = task
                if state.fired { task?.cancel() }
            }
        }
        defer { state.withLock { $0.task = nil } }
        try await body()
    }
}
