import NIOCore
import NIOPosix
import Synchronization

/// Timers on NIO's event loops, for the waits the master arms for every task (the step's deadline, the
/// cancel watch, the long poll).
///
/// On Linux `Task.sleep` goes through libdispatch's timer thread even while NIO runs Swift concurrency: a
/// timer source and a thread hop per sleep, and a child task to race it. A scheduled task on an event loop is
/// an entry in that loop's timer heap.
enum EventLoopTimer {
    /// Calls `fire` on an event loop after `delay`, unless the returned handle is cancelled first (a cancel
    /// that races the firing may lose).
    static func schedule(after delay: Duration, _ fire: @escaping @Sendable () -> Void) -> Scheduled<Void> {
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: .nanoseconds(delay.nanosecondsClamped)) {
            fire()
        }
    }

    /// Returns at `deadline`, or throws `CancellationError` as soon as the calling task is cancelled.
    static func sleep(until deadline: ContinuousClock.Instant) async throws {
        let sleeper = Sleeper()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                sleeper.start(continuation, delay: deadline - ContinuousClock.now)
            }
        } onCancel: {
            sleeper.finish(throwing: CancellationError())
        }
    }

    /// One sleep: whichever of the timer and the cancel comes first resumes the sleeper, once.
    private final class Sleeper: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Void, any Error>?
            var timer: Scheduled<Void>?
            var cancelled = false
        }
        private let state = Mutex(State())

        func start(_ continuation: CheckedContinuation<Void, any Error>, delay: Duration) {
            let cancelled = state.withLock { state in
                if state.cancelled { return true }
                state.continuation = continuation
                return false
            }
            if cancelled { return continuation.resume(throwing: CancellationError()) }
            let timer = EventLoopTimer.schedule(after: delay) { self.finish(throwing: nil) }
            state.withLock { $0.timer = timer }
        }

        func finish(throwing error: (any Error)?) {
            let (continuation, timer) = state.withLock { state in
                if error != nil { state.cancelled = true }
                defer {
                    state.continuation = nil
                    state.timer = nil
                }
                return (state.continuation, state.timer)
            }
            if error != nil { timer?.cancel() }
            if let error { continuation?.resume(throwing: error) } else { continuation?.resume() }
        }
    }
}

extension Duration {
    /// The duration in nanoseconds, zero when negative, and capped far beyond any wait the master arms.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        guard seconds < 1_000_000_000 else { return 1_000_000_000 * 1_000_000_000 }
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
