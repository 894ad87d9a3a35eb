import Synchronization

/// Waits for a browsing directory to settle: returns once `quiet` passed without a change after the
/// first change, or after `limit` in any case (with nothing announced, that is the whole window).
///
/// Create `changes` (``AgentDirectory/changes()``) before browsing starts, so the first change is not missed.
/// A one-shot listing such as `mesh discover --mode mdns` cannot know when every agent was announced, so it
/// waits for the announcements (and the card fetches they start) to stop coming.
public func waitUntilSettled(
    _ changes: AsyncStream<DirectoryChange>, quiet: Duration = .milliseconds(400), limit: Duration = .seconds(1.5)
) async {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    let lastChange = LastChange()
    await withTaskGroup(of: Void.self) { group in
        group.addTask {
            for await _ in changes { lastChange.time.withLock { $0 = clock.now } }
        }
        while clock.now < deadline {
            if let last = lastChange.time.withLock({ $0 }), clock.now - last >= quiet { break }
            guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { break }
        }
        group.cancelAll()
    }
}

/// When the directory last changed, shared between the watching child task and the waiting loop.
private final class LastChange: Sendable {
    let time = Mutex<ContinuousClock.Instant?>(nil)
}
