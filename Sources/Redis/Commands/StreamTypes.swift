/// One stream entry: its id (`1700000000000-0`) and its fields.
public struct RedisStreamEntry: Sendable, Hashable {
    public var id: String
    /// The fields; empty for an entry that was deleted while pending (XREADGROUP and XAUTOCLAIM report those).
    public var fields: [String: String]

    public init(id: String, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }

    /// One field's value.
    public subscript(field: String) -> String? { fields[field] }

    /// Decodes `[id, [field, value, ...]]`; a nil field list (deleted entry) gives no fields.
    init(reply: RESPValue, command: String) throws {
        let parts = try reply.decodeArray(command)
        guard parts.count == 2 else { throw reply.unexpected(command, "a stream entry [id, fields]") }
        id = try parts[0].decodeString(command)
        fields = try parts[1].decodeDictionary(command)
    }

    static func decodeList(_ reply: RESPValue, command: String) throws -> [RedisStreamEntry] {
        try reply.decodeArray(command).map { try RedisStreamEntry(reply: $0, command: command) }
    }
}

/// How `XADD` and `XTRIM` cap a stream.
public enum RedisStreamTrim: Sendable, Hashable {
    /// `MAXLEN ~ n` (approximate: cheap, may keep a few more) or `MAXLEN n` (exact).
    case maxLength(Int, approximate: Bool = true)
    /// `MINID ~ id` or `MINID id`: drops entries older than `id`.
    case minID(String, approximate: Bool = true)

    var arguments: [RedisArgument] {
        switch self {
        case .maxLength(let count, let approximate):
            ["MAXLEN"] + (approximate ? ["~"] : []) + [RedisArgument(count)]
        case .minID(let id, let approximate):
            ["MINID"] + (approximate ? ["~"] : []) + [RedisArgument(id)]
        }
    }
}

/// `XPENDING key group`: how many entries are pending, their id range, and per consumer counts.
public struct RedisPendingSummary: Sendable, Hashable {
    public var count: Int
    public var smallestID: String?
    public var greatestID: String?
    /// Pending entries per consumer name.
    public var consumers: [String: Int]

    public init(count: Int, smallestID: String?, greatestID: String?, consumers: [String: Int]) {
        self.count = count
        self.smallestID = smallestID
        self.greatestID = greatestID
        self.consumers = consumers
    }
}

/// One pending entry from `XPENDING key group [IDLE ms] start end count [consumer]`.
public struct RedisPendingEntry: Sendable, Hashable {
    public var id: String
    /// The consumer that holds it.
    public var consumer: String
    /// Time since it was last delivered.
    public var idle: Duration
    /// How many times it has been delivered.
    public var deliveryCount: Int

    public init(id: String, consumer: String, idle: Duration, deliveryCount: Int) {
        self.id = id
        self.consumer = consumer
        self.idle = idle
        self.deliveryCount = deliveryCount
    }
}

/// What `XAUTOCLAIM` returns.
public struct RedisAutoClaim: Sendable, Hashable {
    /// Where the next call should start; `0-0` when the whole pending list was scanned.
    public var nextStart: String
    /// The entries now owned by the claiming consumer.
    public var entries: [RedisStreamEntry]
    /// Pending ids whose entries no longer exist; XAUTOCLAIM removed them from the pending list (Redis 7).
    public var deletedIDs: [String]

    public init(nextStart: String, entries: [RedisStreamEntry], deletedIDs: [String]) {
        self.nextStart = nextStart
        self.entries = entries
        self.deletedIDs = deletedIDs
    }
}
