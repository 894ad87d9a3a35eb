import Foundation
import ServiceLifecycle
import Synchronization

/// Opens once a process first answers; later stages of `mesh up` wait on it before they start.
final class ReadinessGate: Sendable {
    /// The process it stands for, as messages name it (`redis`, `worker-b#2`).
    let name: String
    private let state = Mutex(false)

    init(name: String) {
        self.name = name
    }

    /// Marks the process ready; waiters go on.
    func open() {
        state.withLock { $0 = true }
    }

    var isOpen: Bool { state.withLock { $0 } }
}

/// How waiting for gates ended.
enum GateWait: Equatable {
    case open
    /// These gates were still closed when the time ran out.
    case timedOut([String])
    /// Graceful shutdown or cancellation came first.
    case stopping
}

/// Waits until every gate is open, `timeout` passes, or the service is asked to stop.
///
/// It polls: the gates open at most once per child start, so a 50 ms tick costs nothing and keeps shutdown
/// and timeout handling in one plain loop.
func waitUntilOpen(_ gates: [ReadinessGate], timeout: Duration) async -> GateWait {
    let deadline = ContinuousClock.now + timeout
    while true {
        let closed = gates.filter { !$0.isOpen }
        if closed.isEmpty { return .open }
        if Task.isShuttingDownGracefully || Task.isCancelled { return .stopping }
        if ContinuousClock.now >= deadline { return .timedOut(closed.map(\.name)) }
        try? await Task.sleep(for: .milliseconds(50))
    }
}

/// Sleeps for `duration` unless the service is asked to stop first; returns false when it was.
func sleepUnlessStopping(_ duration: Duration) async -> Bool {
    let deadline = ContinuousClock.now + duration
    while ContinuousClock.now < deadline {
        if Task.isShuttingDownGracefully || Task.isCancelled { return false }
        try? await Task.sleep(for: min(.milliseconds(50), deadline - ContinuousClock.now))
    }
    return !(Task.isShuttingDownGracefully || Task.isCancelled)
}

/// A short pause in a loop that must run to its end even in a cancelled task (stopping children):
/// `Task.sleep` returns at once there and would make the loop spin.
func pauseEvenIfCancelled(_ duration: Duration = .milliseconds(50)) async {
    if Task.isCancelled {
        let microseconds = duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
        usleep(UInt32(microseconds))
    } else {
        try? await Task.sleep(for: duration)
    }
}
