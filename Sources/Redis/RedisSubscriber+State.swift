/// What a subscriber wants and has, always used under its lock.
struct SubscriberState: ~Copyable {
    enum Action: String {
        case subscribe = "SUBSCRIBE"
        case psubscribe = "PSUBSCRIBE"
        case unsubscribe = "UNSUBSCRIBE"
        case punsubscribe = "PUNSUBSCRIBE"
    }

    var channels: Set<String> = []
    var patterns: Set<String> = []
    var connection: RedisConnection?
    var waiters: [(id: Int, continuation: CheckedContinuation<RedisConnection, Error>)] = []
    var nextID = 0
    var finished = false

    mutating func record(_ action: Action, _ names: [String]) {
        switch action {
        case .subscribe: channels.formUnion(names)
        case .psubscribe: patterns.formUnion(names)
        case .unsubscribe: channels.subtract(names)
        case .punsubscribe: patterns.subtract(names)
        }
    }

    mutating func makeWaiterID() -> Int {
        nextID += 1
        return nextID
    }

    /// Publishes a subscribed connection; returns the waiters to wake, or nil when shutting down.
    mutating func connected(_ connection: RedisConnection) -> [CheckedContinuation<RedisConnection, Error>]? {
        guard !finished else { return nil }
        self.connection = connection
        defer { waiters = [] }
        return waiters.map(\.continuation)
    }

    mutating func removeWaiter(_ id: Int) -> CheckedContinuation<RedisConnection, Error>? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).continuation
    }
}
