import NIOCore
import Synchronization

/// How one operation of a closed loop ended.
enum LoopOutcome: Sendable {
    /// The task completed.
    case completed
    /// The server answered, but the task ended otherwise (failed, rejected, canceled).
    case failed
    /// The server answered with an unexpected status or body.
    case httpError
}

/// What a closed loop measured on one path.
struct PathMeasurement: Sendable {
    /// The latency of every operation that got an answer, completed or not.
    var histogram = LatencyHistogram()
    var completed = 0
    var failed = 0
    var httpErrors = 0
    /// From the first operation's start to the last one's end.
    var seconds = 0.0

    mutating func merge(_ other: PathMeasurement) {
        histogram.merge(other.histogram)
        completed += other.completed
        failed += other.failed
        httpErrors += other.httpErrors
    }
}

/// `concurrency` clients, each with its own keep-alive connection and one operation in flight, running until
/// a number of operations have started or a time is up; the same loop drives every path, so their
/// latencies compare.
struct ClosedLoop: Sendable {
    typealias Operation =
        @Sendable (_ connection: BenchHTTPConnection.Exchange, _ sequence: Int) async throws -> LoopOutcome

    let target: BenchTarget
    let concurrency: Int
    /// Extra headers on every request.
    var headers: [(String, String)] = []

    /// Runs `operation` `count` times in all, or, with `duration`, until it has passed.
    func run(count: Int, duration: Duration?, _ operation: @escaping Operation) async throws -> PathMeasurement {
        let tickets = Tickets(limit: duration == nil ? count : Int.max)
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = duration.map { started + $0 }
        var total = PathMeasurement()
        let connection = BenchHTTPConnection(target: target, headers: headers)
        try await withThrowingTaskGroup(of: PathMeasurement.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    try await connection.withConnection { exchange in
                        var local = PathMeasurement()
                        while let sequence = tickets.take(), deadline.map({ clock.now < $0 }) ?? true {
                            let begin = NIODeadline.now()
                            let outcome = try await operation(exchange, sequence)
                            switch outcome {
                            case .completed: local.completed += 1
                            case .failed: local.failed += 1
                            case .httpError:
                                local.httpErrors += 1
                                continue
                            }
                            local.histogram.record(nanoseconds: UInt64(max(0, (NIODeadline.now() - begin).nanoseconds)))
                        }
                        return local
                    }
                }
            }
            for try await measurement in group { total.merge(measurement) }
        }
        total.seconds = milliseconds(clock.now - started) / 1000
        return total
    }
}

/// Hands out operation numbers until a limit.
final class Tickets: Sendable {
    private let next = Atomic<Int>(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    /// The next number, or nil once `limit` have been taken.
    func take() -> Int? {
        let taken = next.wrappingAdd(1, ordering: .relaxed).oldValue
        return taken < limit ? taken : nil
    }
}
