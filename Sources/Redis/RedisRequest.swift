import NIOCore

/// Commands written together and the promise for their replies, as they travel down the channel.
struct RedisRequest: Sendable {
    var commands: [RedisCommand]
    /// How many replies complete the request: usually one per command; SUBSCRIBE answers once per channel.
    var replyCount: Int
    var promise: EventLoopPromise<[RESPValue]>
    /// When set, the request fails with ``RedisError/timeout(command:server:)`` and the connection closes.
    var timeout: TimeAmount?

    init(commands: [RedisCommand], replyCount: Int? = nil, promise: EventLoopPromise<[RESPValue]>, timeout: TimeAmount?)
    {
        self.commands = commands
        self.replyCount = replyCount ?? commands.count
        self.promise = promise
        self.timeout = timeout
    }
}
