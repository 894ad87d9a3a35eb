import Synchronization

/// At most `limit` calls at once to one provider; the rest wait in arrival order.
public final class ConcurrencyLimiter: Sendable {
    private struct State {
        var inUse = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID = 0
    }
    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Calls in flight now.
    public var inUse: Int { state.withLock { $0.inUse } }

    /// Waits for a free slot. The permit frees it when released or deinitialized, so a stream that its
    /// reader abandons gives its slot back too. Throws `CancellationError` if cancelled while waiting.
    public func acquire() async throws -> ConcurrencyPermit {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let granted = state.withLock { state -> Bool in
                    if state.inUse < limit {
                        state.inUse += 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return false
                }
                if granted { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
        return ConcurrencyPermit(limiter: self)
    }

    fileprivate func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            // The slot passes straight to the next waiter, so `inUse` stays the same.
            if !state.waiters.isEmpty { return state.waiters.removeFirst().continuation }
            state.inUse -= 1
            return nil
        }
        next?.resume()
    }
}

/// A slot of a ``ConcurrencyLimiter``, given back exactly once.
public final class ConcurrencyPermit: Sendable {
    private let limiter: ConcurrencyLimiter
    private let released = Atomic(false)

    fileprivate init(limiter: ConcurrencyLimiter) {
        self.limiter = limiter
    }

    public func release() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { limiter.release() }
    }

    deinit { release() }
}
