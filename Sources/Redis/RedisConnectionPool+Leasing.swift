extension RedisConnectionPool {
    /// Takes an idle connection, opens a new one within the limit, or waits for one to come back.
    ///
    /// - Returns: the connection, and whether it was used before (it may have gone stale while idle).
    func lease(retrying: Bool) async throws -> (RedisConnection, reused: Bool) {
        let grant: PoolState.Grant? = try state.withLock { try $0.grant(server: connector.endpoint.server) }
        switch grant {
        case .connection(let connection):
            return (connection, true)
        case .connect:
            return (try await connectForSlot(retrying: retrying), false)
        case nil:
            switch try await waitForGrant() {
            case .connection(let connection): return (connection, true)
            case .connect: return (try await connectForSlot(retrying: retrying), false)
            }
        }
    }

    /// Gives a connection back; a broken or closed one is dropped, and its slot goes to a waiter if any.
    func release(_ connection: RedisConnection, broken: Bool) {
        let healthy = !broken && connection.isActive
        let outcome = state.withLock { $0.release(connection, healthy: healthy) }
        if outcome.closeConnection { connection.closeSoon() }
        if let waiter = outcome.waiter, let grant = outcome.grant { waiter.resume(returning: grant) }
        for continuation in outcome.drained { continuation.resume() }
    }

    private func connectForSlot(retrying: Bool) async throws -> RedisConnection {
        do {
            let connection = try await connector.connect(
                retrying: retrying, afterSuccess: state.withLock { $0.everConnected },
                stop: { state.withLock { $0.closed } })
            state.withLock { $0.everConnected = true }
            return connection
        } catch {
            let (waiter, drained) = state.withLock { $0.releaseSlot() }
            waiter?.resume(returning: .connect)
            for continuation in drained { continuation.resume() }
            throw error
        }
    }

    private func waitForGrant() async throws -> PoolState.Grant {
        let id = state.withLock { $0.makeWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<PoolState.Grant, Error>? = state.withLock { state in
                    do {
                        if Task.isCancelled { throw CancellationError() }
                        if let grant = try state.grant(server: connector.endpoint.server) { return .success(grant) }
                        state.waiters.append((id, continuation))
                        return nil
                    } catch {
                        return .failure(error)
                    }
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.removeWaiter(id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func waitUntilDrained() async {
        let id = state.withLock { $0.makeWaiterID() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state in
                    if state.open == 0 || Task.isCancelled { return true }
                    state.drainWaiters.append((id, continuation))
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let index = state.drainWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.drainWaiters.remove(at: index).continuation
            }
            waiter?.resume()
        }
    }
}
