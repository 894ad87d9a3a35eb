/// The figures of one `mesh bench a2a` run; encodes as the `--json` output.
public struct A2ABenchReport: Sendable, Hashable, Codable {
    /// Latency percentiles of the measured requests, in milliseconds.
    public struct Latency: Sendable, Hashable, Codable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var p999: Double
        public var max: Double
        public var mean: Double
    }

    /// The server's resident memory in bytes, from `/proc/PID/status`.
    public struct ServerMemory: Sendable, Hashable, Codable {
        public var pid: Int32
        /// Before the first request.
        public var before: Int?
        /// When measurement began, after the warm-up.
        public var afterWarmup: Int?
        /// When the last measured request completed.
        public var after: Int?

        /// Growth over the whole run, warm-up included.
        public var growth: Int? { before.flatMap { start in after.map { $0 - start } } }

        enum CodingKeys: String, CodingKey { case pid, before, afterWarmup, after, growth }

        public init(pid: Int32, before: Int? = nil, afterWarmup: Int? = nil, after: Int? = nil) {
            self.pid = pid
            self.before = before
            self.afterWarmup = afterWarmup
            self.after = after
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                pid: try container.decode(Int32.self, forKey: .pid),
                before: try container.decodeIfPresent(Int.self, forKey: .before),
                afterWarmup: try container.decodeIfPresent(Int.self, forKey: .afterWarmup),
                after: try container.decodeIfPresent(Int.self, forKey: .after))
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pid, forKey: .pid)
            try container.encodeIfPresent(before, forKey: .before)
            try container.encodeIfPresent(afterWarmup, forKey: .afterWarmup)
            try container.encodeIfPresent(after, forKey: .after)
            try container.encodeIfPresent(growth, forKey: .growth)
        }
    }

    public var url: String
    public var connections: Int
    public var threads: Int
    public var warmupSeconds: Double
    /// The measured window in seconds.
    public var seconds: Double
    /// Measured requests that got a whole response.
    public var requests: UInt64
    /// Responses with a status outside 2xx.
    public var httpErrors: UInt64
    /// 2xx responses whose body holds a JSON-RPC `"error"` member.
    public var rpcErrors: UInt64
    /// Requests lost with their connection, and failed reconnects.
    public var socketErrors: UInt64
    /// Measured requests per second.
    public var throughput: Double
    public var latency: Latency
    public var serverMemory: ServerMemory?

    /// All error kinds together.
    public var errors: UInt64 { httpErrors + rpcErrors + socketErrors }
}

extension A2ABenchReport {
    init(
        configuration: A2ABenchConfiguration, results: [LoopResult], memory: ServerMemory?
    ) {
        var histogram = LatencyHistogram()
        var total = LoopResult()
        for result in results {
            histogram.merge(result.histogram)
            total.completed += result.completed
            total.httpErrors += result.httpErrors
            total.rpcErrors += result.rpcErrors
            total.socketErrors += result.socketErrors
            total.measuredNanoseconds = Swift.max(total.measuredNanoseconds, result.measuredNanoseconds)
        }
        let seconds = Double(total.measuredNanoseconds) / 1e9
        func ms(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }
        self.init(
            url: configuration.target.description, connections: configuration.connections,
            threads: configuration.threads, warmupSeconds: configuration.warmupSeconds, seconds: seconds,
            requests: total.completed, httpErrors: total.httpErrors, rpcErrors: total.rpcErrors,
            socketErrors: total.socketErrors, throughput: seconds > 0 ? Double(total.completed) / seconds : 0,
            latency: Latency(
                p50: ms(histogram.percentile(50)), p90: ms(histogram.percentile(90)),
                p99: ms(histogram.percentile(99)), p999: ms(histogram.percentile(99.9)),
                max: ms(histogram.max), mean: histogram.mean / 1e6),
            serverMemory: memory)
    }
}
