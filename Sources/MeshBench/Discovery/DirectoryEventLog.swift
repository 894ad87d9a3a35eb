import Discovery
import Synchronization

/// When a directory first showed each agent (by name) up, down, and removed; filled from its change stream.
final class DirectoryEventLog: Sendable {
    struct Times: Sendable {
        var up: ContinuousClock.Instant?
        var down: ContinuousClock.Instant?
        var removed: ContinuousClock.Instant?
    }

    private let times = Mutex<[String: Times]>([:])

    /// Records every change until the stream ends or the task is cancelled.
    func record(_ changes: AsyncStream<DirectoryChange>) async {
        for await change in changes {
            let now = ContinuousClock.now
            times.withLock { times in
                switch change {
                case .added(let record), .updated(let record):
                    if record.health == .up, times[record.name]?.up == nil { times[record.name, default: Times()].up = now }
                    if record.health == .down, times[record.name]?.down == nil {
                        times[record.name, default: Times()].down = now
                    }
                case .removed(let record):
                    if times[record.name]?.removed == nil { times[record.name, default: Times()].removed = now }
                }
            }
        }
    }

    /// Waits until `field` is set for `name`, or `deadline` passes; returns the time it was set.
    func wait(
        for name: String, _ field: KeyPath<Times, ContinuousClock.Instant?>, until deadline: ContinuousClock.Instant
    ) async -> ContinuousClock.Instant? {
        while ContinuousClock.now < deadline {
            if let time = times.withLock({ $0[name]?[keyPath: field] }) { return time }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return times.withLock { $0[name]?[keyPath: field] }
    }

    /// The first of `down` and `removed` for `name`.
    func routedAround(_ name: String, until deadline: ContinuousClock.Instant) async -> ContinuousClock.Instant? {
        while ContinuousClock.now < deadline {
            if let time = times.withLock({ $0[name].flatMap { [$0.down, $0.removed].compactMap { $0 }.min() } }) {
                return time
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return nil
    }
}
