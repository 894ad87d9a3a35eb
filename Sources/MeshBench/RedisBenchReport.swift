import Redis

/// The figures of one `mesh bench redis` run; encodes as the `--json` output. It never holds the password.
public struct RedisBenchReport: Sendable, Hashable, Codable {
    /// Per-pipeline latency in milliseconds: from writing a pipeline to its last reply.
    public struct Latency: Sendable, Hashable, Codable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
        public var mean: Double
    }

    /// One workload's figures.
    public struct TestResult: Sendable, Hashable, Codable {
        public var test: RedisBenchTest
        /// Measured commands (whole pipelines).
        public var commands: Int
        public var pipelines: Int
        /// From the start of measurement to the last measured reply.
        public var seconds: Double
        /// Commands per second.
        public var opsPerSecond: Double
        /// Error replies among the measured commands.
        public var errors: Int
        /// The first error reply, if any.
        public var firstError: String?
        public var latency: Latency
    }

    /// `host:port` of the server.
    public var server: String
    public var tls: Bool
    public var connections: Int
    public var pipeline: Int
    public var warmupSeconds: Double
    public var results: [TestResult]
}

extension RedisBenchReport {
    init(configuration: RedisBenchConfiguration, results: [TestResult]) {
        self.init(
            server: configuration.redis.address, tls: configuration.redis.tls.isEnabled,
            connections: configuration.connections, pipeline: configuration.pipeline,
            warmupSeconds: configuration.warmupSeconds, results: results)
    }

    /// The report as aligned human-readable lines, one per test.
    public var lines: [String] {
        var lines = [
            "target  \(tls ? "rediss" : "redis")://\(server)  (\(connections) connections, pipeline \(pipeline), "
                + "warm-up \(A2ABenchReport.fixed(warmupSeconds, 1)) s)"
        ]
        for result in results {
            let label = result.test.label.padding(to: 5)
            let rate = A2ABenchReport.fixed(result.opsPerSecond, 1).padding(to: 11, left: true)
            var line =
                "\(label) \(rate) ops/s  \(result.commands) commands in \(A2ABenchReport.fixed(result.seconds, 2)) s  "
                + "pipeline ms p50 \(A2ABenchReport.fixed(result.latency.p50, 3))  "
                + "p99 \(A2ABenchReport.fixed(result.latency.p99, 3))  max \(A2ABenchReport.fixed(result.latency.max, 3))"
            if result.errors > 0 { line += "  errors \(result.errors) (\(result.firstError ?? "?"))" }
            lines.append(line)
        }
        return lines
    }
}

extension RedisBenchReport.TestResult {
    init(test: RedisBenchTest, depth: Int, measureStart: UInt64, workers: [WorkerResult]) {
        var histogram = LatencyHistogram()
        var pipelines = 0
        var errors = 0
        var firstError: String?
        var last = measureStart
        for worker in workers {
            histogram.merge(worker.histogram)
            pipelines += worker.pipelines
            errors += worker.errorReplies
            if firstError == nil { firstError = worker.firstError }
            last = Swift.max(last, worker.lastCompletion)
        }
        let seconds = Double(last - measureStart) / 1e9
        let commands = pipelines * depth
        func ms(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }
        self.init(
            test: test, commands: commands, pipelines: pipelines, seconds: seconds,
            opsPerSecond: seconds > 0 ? Double(commands) / seconds : 0, errors: errors, firstError: firstError,
            latency: .init(
                p50: ms(histogram.percentile(50)), p90: ms(histogram.percentile(90)), p99: ms(histogram.percentile(99)),
                max: ms(histogram.max), mean: histogram.mean / 1e6))
    }
}

extension String {
    fileprivate func padding(to width: Int, left: Bool = false) -> String {
        guard count < width else { return self }
        let fill = String(repeating: " ", count: width - count)
        return left ? fill + self : self + fill
    }
}
