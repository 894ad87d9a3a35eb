/// The pool's bookkeeping, always used under its lock.
struct PoolState: ~Copyable {
    /// What a lease gets: a ready connection, or the right to open one.
    enum Grant: Sendable {
        case connection(RedisConnection)
        case connect
    }

    let maximum: Int
    var idle: [RedisConnection] = []
    /// Idle, leased and connecting.
    var open = 0
    var waiters: [(id: Int, continuation: CheckedContinuation<Grant, Error>)] = []
    var drainWaiters: [(id: Int, continuation: CheckedContinuation<Void, Never>)] = []
    var dedicated: [Int: RedisConnection] = [:]
    var nextID = 0
    var closed = false
    var everConnected = false

    init(maximum: Int) {
        self.maximum = maximum
    }

    mutating func makeWaiterID() -> Int {
        nextID += 1
        return nextID
    }

    /// A connection or a slot at once, nil when the caller has to wait.
    mutating func grant(server: String) throws -> Grant? {
        if closed { throw RedisError.connectionClosed(server: server, reason: "the pool is shut down") }
        while let connection = idle.popLast() {
            if connection.isActive { return .connection(connection) }
            open -= 1  // closed while idle, e.g. the server restarted
        }
        guard open < maximum else { return nil }
        open += 1
        return .connect
    }

    /// What to do after a release: whom to wake with what, and whether to close the connection.
    struct Release {
        var waiter: CheckedContinuation<Grant, Error>?
        var grant: Grant?
        var drained: [CheckedContinuation<Void, Never>] = []
        var closeConnection = false
    }

    /// Hands the connection (or, when broken, its slot) to the first waiter, or keeps it idle.
    mutating func release(_ connection: RedisConnection, healthy: Bool) -> Release {
        if closed || !healthy {
            if !closed, !waiters.isEmpty {
                return Release(waiter: waiters.removeFirst().continuation, grant: .connect, closeConnection: true)
            }
            open -= 1
            return Release(drained: takeDrainWaiters(), closeConnection: true)
        }
        if !waiters.isEmpty {
            return Release(waiter: waiters.removeFirst().continuation, grant: .connection(connection))
        }
        idle.append(connection)
        return Release()
    }

    /// A connect failed: its slot goes to a waiter, or is freed.
    mutating func releaseSlot() -> (CheckedContinuation<Grant, Error>?, [CheckedContinuation<Void, Never>]) {
        if !closed, !waiters.isEmpty { return (waiters.removeFirst().continuation, []) }
        open -= 1
        return (nil, takeDrainWaiters())
    }

    mutating func removeWaiter(_ id: Int) -> CheckedContinuation<Grant, Error>? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).continuation
    }

    mutating func addDedicated(_ connection: RedisConnection) -> Int? {
        guard !closed else { return nil }
        nextID += 1
        dedicated[nextID] = connection
        return nextID
    }

    mutating func removeDedicated(_ id: Int) {
        dedicated[id] = nil
    }

    /// Marks the pool closed and hands back what must be closed or failed.
    mutating func shutDown() -> (
        idle: [RedisConnection], waiters: [CheckedContinuation<Grant, Error>], dedicated: [RedisConnection]
    ) {
        closed = true
        let result = (idle, waiters.map(\.continuation), Array(dedicated.values))
        open -= idle.count
        idle = []
        waiters = []
        dedicated = [:]
        return result
    }

    private mutating func takeDrainWaiters() -> [CheckedContinuation<Void, Never>] {
        guard open == 0 else { return [] }
        defer { drainWaiters = [] }
        return drainWaiters.map(\.continuation)
    }
}
