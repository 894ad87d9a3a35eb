import Foundation
import Synchronization

/// The master's `/result`: push notifications from agents, matched to the step waiting for them by the
/// per-attempt token the master put into the push config. A token nobody waits for is refused.
final class PushInbox: Sendable {
    private let waiting = Mutex<[String: ChangeSignal]>([:])

    /// Runs `body` with a fresh token and the signal its pushes fire.
    func expecting<Result: Sendable>(_ body: (String, ChangeSignal) async throws -> Result) async rethrows -> Result {
        let token = Self.token()
        let signal = ChangeSignal()
        waiting.withLock { $0[token] = signal }
        defer { _ = waiting.withLock { $0.removeValue(forKey: token) } }
        return try await body(token, signal)
    }

    /// Wakes the step waiting for `token`; false when none does (unknown or expired token).
    func deliver(token: String) -> Bool {
        guard let signal = waiting.withLock({ $0[token] }) else { return false }
        signal.fire(.running)
        return true
    }

    static func token() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }
}
