import Synchronization

/// The first reason a connection failed, kept outside the channel pipeline.
///
/// Once a channel closes its handlers are gone, and a late write only learns "I/O on closed channel";
/// this keeps the real cause (a TLS alert, a reader error) for that caller.
final class RedisConnectionFailure: Sendable {
    private let error = Mutex<(any Error)?>(nil)

    /// Keeps `error` unless a cause is already recorded.
    func record(_ error: any Error) {
        self.error.withLock { current in
            if current == nil { current = error }
        }
    }

    /// The recorded cause, if any.
    var cause: (any Error)? { error.withLock { $0 } }
}
