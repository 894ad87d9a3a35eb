import Redis

/// One workload of `mesh bench redis`.
public enum RedisBenchTest: String, Sendable, Hashable, CaseIterable, Codable {
    /// `SET bench:key:<n> <value>` over a bounded keyspace.
    case set
    /// `GET bench:key:<n>`, after every key of the keyspace was written once (not measured).
    case get
    /// `XADD bench:stream [MAXLEN ~ m] * field value`.
    case xadd

    /// The name as redis-benchmark prints it.
    public var label: String { rawValue.uppercased() }

    /// Parses a comma-separated list such as `set,get,xadd` (case-insensitive, duplicates dropped).
    public static func parseList(_ text: String) throws(BenchError) -> [RedisBenchTest] {
        var tests: [RedisBenchTest] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingSpaces.lowercased()
            guard !name.isEmpty else { continue }
            guard let test = RedisBenchTest(rawValue: name) else {
                throw .invalidOption("--tests: unknown test '\(name)' (expected set, get, xadd)")
            }
            if !tests.contains(test) { tests.append(test) }
        }
        guard !tests.isEmpty else { throw .invalidOption("--tests names no test (expected set, get, xadd)") }
        return tests
    }
}

/// What `mesh bench redis` runs: where, how many connections, how deep the pipelines, and for how long.
public struct RedisBenchConfiguration: Sendable, Hashable {
    /// The server, credentials and TLS files.
    public var redis: RedisConfiguration
    /// Connections, each with one pipeline in flight (closed loop). redis-benchmark's default is 50.
    public var connections: Int
    /// Commands per pipeline (redis-benchmark's `-P`).
    public var pipeline: Int
    /// Seconds of load before measuring.
    public var warmupSeconds: Double
    /// Seconds of measured load per test; ignored when `requests` is set.
    public var durationSeconds: Double
    /// When set, each test sends this many measured commands (rounded up to whole pipelines), like `-n`.
    public var requests: Int?
    /// The workloads, in order.
    public var tests: [RedisBenchTest]
    /// Distinct keys for SET and GET: `bench:key:0` ... `bench:key:<keyspace - 1>`.
    public var keyspace: Int
    /// Bytes of every SET value (redis-benchmark's `-d`, 3 by default).
    public var valueSize: Int
    /// The stream that XADD appends to.
    public var streamKey: String
    /// When set, XADD trims with `MAXLEN ~ n`.
    public var streamMaxLength: Int?

    public init(
        redis: RedisConfiguration, connections: Int = 50, pipeline: Int = 16, warmupSeconds: Double = 1,
        durationSeconds: Double = 10, requests: Int? = nil, tests: [RedisBenchTest] = RedisBenchTest.allCases,
        keyspace: Int = 100_000, valueSize: Int = 3, streamKey: String = "bench:stream", streamMaxLength: Int? = nil
    ) {
        self.redis = redis
        self.connections = connections
        self.pipeline = pipeline
        self.warmupSeconds = warmupSeconds
        self.durationSeconds = durationSeconds
        self.requests = requests
        self.tests = tests
        self.keyspace = keyspace
        self.valueSize = valueSize
        self.streamKey = streamKey
        self.streamMaxLength = streamMaxLength
    }

    /// Checks the numbers before any socket is opened.
    public func validate() throws(BenchError) {
        guard connections >= 1 else { throw .invalidOption("--connections must be at least 1") }
        guard (1...100_000).contains(pipeline) else { throw .invalidOption("--pipeline must be between 1 and 100000") }
        guard warmupSeconds >= 0 else { throw .invalidOption("--warmup must not be negative") }
        guard keyspace >= 1 else { throw .invalidOption("--keyspace must be at least 1") }
        guard valueSize >= 0 else { throw .invalidOption("--value-size must not be negative") }
        guard !tests.isEmpty else { throw .invalidOption("--tests names no test") }
        if let streamMaxLength, streamMaxLength < 1 {
            throw .invalidOption("--stream-maxlen must be at least 1")
        }
        if let requests {
            guard requests >= 1 else { throw .invalidOption("--requests must be at least 1") }
        } else {
            guard durationSeconds > 0 else { throw .invalidOption("--duration must be positive") }
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
