import NIOCore
import Redis
import Synchronization

/// A closed-loop load generator for Redis on our own client: each connection sends a pipeline of
/// `pipeline` commands, waits for every reply, and sends the next, like `redis-benchmark -P`.
///
/// Connections come from ``RedisConnection/connect(configuration:eventLoopGroup:logger:)`` on NIO's singleton
/// group; when `mesh` has installed that group as Swift Concurrency's executor, a worker resumes on its
/// connection's event loop, so the loop never hops threads.
public struct RedisLoadGenerator: Sendable {
    public let configuration: RedisBenchConfiguration

    public init(configuration: RedisBenchConfiguration) {
        self.configuration = configuration
    }

    /// Opens the connections, runs every test in order on them, closes them and reports.
    public func run() async throws -> RedisBenchReport {
        try configuration.validate()
        var connections: [RedisConnection] = []
        connections.reserveCapacity(configuration.connections)
        do {
            for _ in 0..<configuration.connections {
                connections.append(try await RedisConnection.connect(configuration: configuration.redis))
            }
            var results: [RedisBenchReport.TestResult] = []
            for test in configuration.tests {
                results.append(try await run(test, on: connections))
            }
            for connection in connections { await connection.close() }
            return RedisBenchReport(configuration: configuration, results: results)
        } catch {
            for connection in connections { await connection.close() }
            throw error
        }
    }

    private func run(_ test: RedisBenchTest, on connections: [RedisConnection]) async throws
        -> RedisBenchReport.TestResult
    {
        if test == .get {
            for pipeline in RedisBenchWorkload.population(configuration: configuration) {
                try Self.check(try await connections[0].pipeline(pipeline), during: "populating the keyspace")
            }
        }
        let workload = RedisBenchWorkload(test: test, configuration: configuration)
        let budget = configuration.requests.map {
            PipelineBudget(pipelines: ($0 + workload.depth - 1) / workload.depth)
        }
        let start = NIODeadline.now().uptimeNanoseconds
        let measureStart = start + UInt64(configuration.warmupSeconds * 1e9)
        let end = configuration.requests == nil ? measureStart + UInt64(configuration.durationSeconds * 1e9) : nil
        let stride = max(1, workload.pipelines.count / connections.count)

        let workers = try await withThrowingTaskGroup(of: WorkerResult.self) { group in
            for (index, connection) in connections.enumerated() {
                group.addTask {
                    try await Self.work(
                        connection: connection, workload: workload, offset: index * stride,
                        measureStart: measureStart, end: end, budget: budget)
                }
            }
            var results: [WorkerResult] = []
            for try await result in group { results.append(result) }
            return results
        }
        return RedisBenchReport.TestResult(test: test, depth: workload.depth, measureStart: measureStart, workers: workers)
    }

    /// One connection's closed loop.
    private static func work(
        connection: RedisConnection, workload: RedisBenchWorkload, offset: Int, measureStart: UInt64, end: UInt64?,
        budget: PipelineBudget?
    ) async throws -> WorkerResult {
        var result = WorkerResult()
        let pipelines = workload.pipelines
        var index = offset % pipelines.count
        while true {
            let started = NIODeadline.now().uptimeNanoseconds
            if let end, started >= end { break }
            let measured = started >= measureStart
            if measured, let budget, !budget.take() { break }
            let replies = try await connection.pipeline(pipelines[index])
            let finished = NIODeadline.now().uptimeNanoseconds
            index += 1
            if index == pipelines.count { index = 0 }
            guard measured else { continue }
            result.histogram.record(nanoseconds: finished &- started)
            result.pipelines += 1
            result.lastCompletion = finished
            for reply in replies {
                if case .error(let message) = reply {
                    result.errorReplies += 1
                    if result.firstError == nil { result.firstError = message }
                }
            }
        }
        return result
    }

    private static func check(_ replies: [RESPValue], during step: String) throws {
        for reply in replies {
            if case .error(let message) = reply { throw BenchError.redisError(step: step, message: message) }
        }
    }
}

/// What one connection measured.
struct WorkerResult: Sendable {
    var histogram = LatencyHistogram()
    var pipelines = 0
    var errorReplies = 0
    var firstError: String?
    /// When its last measured pipeline completed (uptime nanoseconds); 0 when none was measured.
    var lastCompletion: UInt64 = 0
}

/// The measured pipelines still to send in `--requests` mode, shared by every connection.
final class PipelineBudget: Sendable {
    private let remaining: Atomic<Int>

    init(pipelines: Int) {
        remaining = Atomic(pipelines)
    }

    /// Takes one pipeline; false once the budget is spent.
    func take() -> Bool {
        remaining.subtract(1, ordering: .relaxed).newValue >= 0
    }
}
