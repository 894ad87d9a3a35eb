import Redis

/// The pipelines of one test, built once before the run so that the hot loop only passes arrays around.
///
/// Pipeline `i` holds the commands for keys `i * depth ..< (i + 1) * depth` (modulo the keyspace); a connection
/// walks the ring from its own offset, so the keyspace is covered evenly without building a key per command.
struct RedisBenchWorkload: Sendable {
    let test: RedisBenchTest
    /// At least one pipeline, each of exactly `depth` commands.
    let pipelines: [[RedisCommand]]
    let depth: Int

    /// The most distinct pipelines kept in memory; past that the ring repeats (keys still cycle the keyspace
    /// unevenly only when `keyspace > maxPipelines * depth`).
    static let maxPipelines = 4096

    init(test: RedisBenchTest, configuration: RedisBenchConfiguration) {
        self.test = test
        depth = configuration.pipeline
        switch test {
        case .set:
            let value = RedisArgument(bytes: Array(repeating: UInt8(ascii: "x"), count: configuration.valueSize))
            pipelines = Self.ring(keyspace: configuration.keyspace, depth: depth) { key in
                RedisCommand("SET", [RedisArgument(bytes: Self.key(key)), value])
            }
        case .get:
            pipelines = Self.ring(keyspace: configuration.keyspace, depth: depth) { key in
                RedisCommand("GET", [RedisArgument(bytes: Self.key(key))])
            }
        case .xadd:
            let command = Self.xadd(stream: configuration.streamKey, maxLength: configuration.streamMaxLength)
            pipelines = [Array(repeating: command, count: depth)]
        }
    }

    /// `bench:key:<n>`.
    static func key(_ index: Int) -> [UInt8] {
        Array("bench:key:".utf8) + Array(String(index).utf8)
    }

    /// `XADD stream [MAXLEN ~ n] * field value`.
    static func xadd(stream: String, maxLength: Int?) -> RedisCommand {
        var arguments = [RedisArgument(stream)]
        if let maxLength { arguments += ["MAXLEN", "~", RedisArgument(maxLength)] }
        arguments += ["*", "field", "value"]
        return RedisCommand("XADD", arguments)
    }

    /// Enough pipelines of `depth` commands to cover the keyspace once (at most ``maxPipelines``).
    static func ring(keyspace: Int, depth: Int, _ make: (Int) -> RedisCommand) -> [[RedisCommand]] {
        let count = min(max(1, (keyspace + depth - 1) / depth), maxPipelines)
        var pipelines: [[RedisCommand]] = []
        pipelines.reserveCapacity(count)
        for index in 0..<count {
            var commands: [RedisCommand] = []
            commands.reserveCapacity(depth)
            for slot in 0..<depth { commands.append(make((index * depth + slot) % keyspace)) }
            pipelines.append(commands)
        }
        return pipelines
    }

    /// Pipelines that write every key of the keyspace once, for `get` to find values.
    static func population(configuration: RedisBenchConfiguration, depth: Int = 256) -> [[RedisCommand]] {
        let value = RedisArgument(bytes: Array(repeating: UInt8(ascii: "x"), count: configuration.valueSize))
        var pipelines: [[RedisCommand]] = []
        var start = 0
        while start < configuration.keyspace {
            let end = min(start + depth, configuration.keyspace)
            pipelines.append((start..<end).map { RedisCommand("SET", [RedisArgument(bytes: key($0)), value]) })
            start = end
        }
        return pipelines
    }
}
