import Synchronization
import Testing

/// Keeps many-process end-to-end tests and timing-sensitive tests apart in this test process.
///
/// The suites run in parallel on a 2-core machine. A test that starts a whole mesh (Redis plus up to eight agent
/// processes) starves everything beside it, and the discovery tests that measure how fast an agent appears or
/// is routed around then fail for no fault of their own. Heavy tests run one at a time (``exclusive(_:)``) and
/// never beside a timing-sensitive one (``shared(_:)``, or the ``QuietTrait`` on a suite); timing-sensitive
/// tests run beside each other.
public enum HeavyTests {
    private struct State {
        var heavy = false
        var quiet = 0
        var waitingHeavy: [CheckedContinuation<Void, Never>] = []
        var waitingQuiet: [CheckedContinuation<Void, Never>] = []
    }

    private static let state = Mutex(State())

    /// Runs `body` once no other heavy test and no timing-sensitive test runs.
    public static func exclusive<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                guard !state.heavy, state.quiet == 0 else {
                    state.waitingHeavy.append(continuation)
                    return false
                }
                state.heavy = true
                return true
            }
            if admitted { continuation.resume() }
        }
        defer { leave(heavy: true) }
        return try await body()
    }

    /// Runs `body` once no heavy test runs (timing-sensitive tests run beside each other).
    public static func shared<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                guard !state.heavy else {
                    state.waitingQuiet.append(continuation)
                    return false
                }
                state.quiet += 1
                return true
            }
            if admitted { continuation.resume() }
        }
        defer { leave(heavy: false) }
        return try await body()
    }

    private static func leave(heavy: Bool) {
        let admitted = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if heavy { state.heavy = false } else { state.quiet -= 1 }
            guard !state.heavy else { return [] }
            // Waiting timing-sensitive tests go first: they are short, and the heavy ones queue anyway.
            if !state.waitingQuiet.isEmpty {
                let quiet = state.waitingQuiet
                state.waitingQuiet = []
                state.quiet += quiet.count
                return quiet
            }
            guard state.quiet == 0, !state.waitingHeavy.isEmpty else { return [] }
            state.heavy = true
            return [state.waitingHeavy.removeFirst()]
        }
        for continuation in admitted { continuation.resume() }
    }
}

/// Runs each test of a suite as timing-sensitive: never beside a many-process end-to-end test.
public struct QuietTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Per test, not around a whole suite: a suite holding the gate for minutes would starve the heavy tests.
        guard !test.isSuite else { return try await function() }
        try await HeavyTests.shared { try await function() }
    }
}

extension Trait where Self == QuietTrait {
    /// See ``QuietTrait``.
    public static var quiet: Self { QuietTrait() }
}
