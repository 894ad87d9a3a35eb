/// A message received on a subscribed channel or pattern.
public struct RedisMessage: Sendable, Hashable {
    /// The channel it was published on, e.g. `events` or `__keyspace@0__:mesh:task:1`.
    public var channel: String
    /// The pattern that matched, for PSUBSCRIBE; nil for SUBSCRIBE.
    public var pattern: String?
    /// The message as bytes.
    public var payload: [UInt8]

    /// A message.
    public init(channel: String, pattern: String? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }

    /// The payload as UTF-8 text (for keyspace notifications: the event name, e.g. `set`).
    public var text: String { String(decoding: payload, as: UTF8.self) }

    /// Reads a `message` or `pmessage` push; nil for anything else.
    init?(push: RESPValue) {
        guard let items = push.array, let kind = items.first?.string else { return nil }
        switch (kind, items.count) {
        case ("message", 3):
            guard let channel = items[1].string, case .bulkString(let payload) = items[2] else { return nil }
            self.init(channel: channel, payload: payload)
        case ("pmessage", 4):
            guard let pattern = items[1].string, let channel = items[2].string,
                case .bulkString(let payload) = items[3]
            else { return nil }
            self.init(channel: channel, pattern: pattern, payload: payload)
        default:
            return nil
        }
    }
}
