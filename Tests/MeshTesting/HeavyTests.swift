import Synchronization

/// Lets one many-process end-to-end test run at a time in this test process.
///
/// The suites run in parallel on a 2-core machine. A test that starts a whole mesh (Redis plus up to eight agent
/// processes) beside another one starves everything else, and the timing-sensitive discovery tests with it;
/// queueing them keeps the run's peak load to one mesh.
public enum HeavyTests {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private static let state = Mutex(State())

    /// Runs `body` once no other heavy test runs.
    public static func exclusive<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        await acquire()
        defer { release() }
        return try await body()
    }

    private static func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let free = state.withLock { state -> Bool in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if free { continuation.resume() }
        }
    }

    private static func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
