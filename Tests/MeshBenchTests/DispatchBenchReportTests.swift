import Foundation
import Testing

@testable import MeshBench

@Suite("mesh bench dispatch: the report")
struct DispatchBenchReportTests {
    static func path(tasks: Int, seconds: Double, p50: Double, p99: Double, failed: Int = 0) -> DispatchBenchReport.Path
    {
        .init(tasks: tasks, failed: failed, errors: 0, seconds: seconds, p50Ms: p50, p90Ms: p50, p99Ms: p99, maxMs: p99)
    }

    @Test func addedLatencyIsTheDifferenceOfThePercentiles() {
        let report = DispatchBenchReport(
            master: "http://127.0.0.1:8000/", worker: "http://127.0.0.1:5004/", skill: "finalize", concurrency: 16,
            spawned: true, direct: Self.path(tasks: 2000, seconds: 0.5, p50: 1.0, p99: 3.0),
            viaMaster: Self.path(tasks: 2000, seconds: 0.8, p50: 2.5, p99: 6.0))
        #expect(report.addedP50Ms == 1.5)
        #expect(report.addedP99Ms == 3.0)
        #expect(report.viaMaster.throughput == 2500)
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("added by the master      p50 1.500 ms  p99 3.000 ms  target p50 < 2 ms: met"))
        #expect(text.contains("master throughput        2500.0 tasks/s  target >= 2000 tasks/s: met"))
        #expect(text.contains("ratios master/direct     p50 2.50x  throughput 0.63x"))
        #expect(text.contains("(redis-server, worker and master started by the bench)"))
        #expect(!text.contains("warning"))
    }

    @Test func theAuthCostIsOneMinusTheMedianOfTheRoundsRatios() {
        // Rounds drift (500, 400, 600 tasks/s off); each on-run is compared with the off-run of its own round.
        let off = [500.0, 400, 600].map { Self.path(tasks: Int($0), seconds: 1, p50: 1, p99: 2) }
        let on = [475.0, 392, 480].map { Self.path(tasks: Int($0), seconds: 1, p50: 1, p99: 2) }
        let comparison = DispatchBenchReport.AuthComparison(off: off, on: on)
        #expect(comparison.medianOff == 500 && comparison.medianOn == 475)
        // Ratios 0.95, 0.98, 0.80: the median 0.95 gives a cost of 5 %.
        #expect(abs(comparison.cost - 0.05) < 1e-9)
        var report = DispatchBenchReport(
            master: "m", worker: "w", skill: "finalize", concurrency: 16, spawned: true,
            direct: Self.path(tasks: 100, seconds: 1, p50: 1.0, p99: 2.0), viaMaster: off[0])
        report.auth = comparison
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("auth off (rounds)        500.0, 400.0, 600.0 tasks/s  median 500.0"))
        #expect(text.contains("auth cost                5.0 % of throughput"))
        #expect(text.contains("target < 10 %: met"))
    }

    @Test func roundsGiveMediansAndTheMedianOfTheirDifferences() {
        // Three rounds on a drifting machine: the added latency comes from each round's own difference.
        var slow = Self.path(tasks: 1000, seconds: 1, p50: 4.0, p99: 9.0)
        slow.cpuMsPerTask = ["master": 1.5, "worker": 0.9]
        var rounds = [
            DispatchBenchReport.Round(
                direct: Self.path(tasks: 2000, seconds: 1, p50: 1.0, p99: 3.0),
                viaMaster: Self.path(tasks: 700, seconds: 1, p50: 2.5, p99: 6.0)),
            DispatchBenchReport.Round(direct: Self.path(tasks: 1500, seconds: 1, p50: 2.0, p99: 5.0), viaMaster: slow),
            DispatchBenchReport.Round(
                direct: Self.path(tasks: 2500, seconds: 1, p50: 0.8, p99: 2.0),
                viaMaster: Self.path(tasks: 800, seconds: 1, p50: 2.6, p99: 4.0)),
        ]
        rounds[0].viaMaster.cpuMsPerTask = ["master": 1.2, "worker": 0.7]
        rounds[2].viaMaster.cpuMsPerTask = ["master": 1.0, "worker": 0.8]
        let report = DispatchBenchReport(
            master: "m", worker: "w", skill: "finalize", concurrency: 16, spawned: true, rounds: rounds)
        #expect(report.viaMaster.throughput == 800)
        #expect(report.direct.throughput == 2000)
        #expect(report.viaMaster.p50Ms == 2.6)
        // Differences 1.5, 2.0 and 1.8: the median is 1.8, not 2.6 - 1.0.
        #expect(abs(report.addedP50Ms - 1.8) < 1e-9)
        #expect(report.viaMaster.cpuMsPerTask == ["master": 1.2, "worker": 0.8])
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("medians of 3 rounds"))
        #expect(text.contains("rounds: master tasks/s   700.0, 1000.0, 800.0"))
        #expect(text.contains("rounds: added p50 ms     1.500, 2.000, 1.800"))
        #expect(text.contains("CPU per task (master) master 1.200  worker 0.800  total 2.000 ms"))
    }

    @Test func theRoutedPathIsReportedBesideTheTaskPath() {
        let rounds = [
            DispatchBenchReport.Round(
                direct: Self.path(tasks: 2000, seconds: 1, p50: 1.0, p99: 3.0),
                viaMaster: Self.path(tasks: 700, seconds: 1, p50: 2.5, p99: 6.0),
                routed: Self.path(tasks: 1500, seconds: 1, p50: 1.4, p99: 4.0)),
            DispatchBenchReport.Round(
                direct: Self.path(tasks: 1800, seconds: 1, p50: 1.2, p99: 3.0),
                viaMaster: Self.path(tasks: 650, seconds: 1, p50: 2.7, p99: 6.0),
                routed: Self.path(tasks: 1300, seconds: 1, p50: 1.5, p99: 4.0, failed: 1)),
            DispatchBenchReport.Round(
                direct: Self.path(tasks: 2200, seconds: 1, p50: 0.9, p99: 3.0),
                viaMaster: Self.path(tasks: 720, seconds: 1, p50: 2.4, p99: 6.0),
                routed: Self.path(tasks: 1600, seconds: 1, p50: 1.5, p99: 4.0, failed: 1)),
        ]
        let report = DispatchBenchReport(
            master: "m", worker: "w", skill: "finalize", concurrency: 16, spawned: true, rounds: rounds)
        #expect(report.routed?.throughput == 1500)
        // Differences 0.4, 0.3 and 0.6: the median of the rounds' own differences.
        #expect(abs((report.routedAddedP50Ms ?? 0) - 0.4) < 1e-9)
        // The target stays the task path's: 700 tasks/s misses it even though /dispatch is faster.
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("master throughput        700.0 tasks/s  target >= 2000 tasks/s: MISSED"))
        #expect(text.contains("routed (POST /dispatch) 1500 tasks"))
        #expect(text.contains("added by /dispatch       p50 0.400 ms"))
        #expect(text.contains("rounds: routed tasks/s   1500.0, 1300.0, 1600.0"))
        #expect(text.contains("warning: some tasks failed"))
        // Without the routed path in every round, none is reported.
        var partial = rounds
        partial[1].routed = nil
        let withoutRouted = DispatchBenchReport(
            master: "m", worker: "w", skill: "finalize", concurrency: 16, spawned: true, rounds: partial)
        #expect(withoutRouted.routed == nil && withoutRouted.routedAddedP50Ms == nil)
        #expect(!withoutRouted.lines.joined().contains("/dispatch"))
    }

    @Test func missedTargetsAndFailuresAreNamed() {
        let report = DispatchBenchReport(
            master: "m", worker: "w", skill: "retrieve", concurrency: 4, spawned: false,
            direct: Self.path(tasks: 100, seconds: 1, p50: 1.0, p99: 2.0),
            viaMaster: Self.path(tasks: 100, seconds: 1, p50: 4.0, p99: 9.0, failed: 3))
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("target p50 < 2 ms: MISSED"))
        #expect(text.contains("target >= 2000 tasks/s: MISSED"))
        #expect(text.contains("failed 3"))
        #expect(text.contains("warning: some tasks failed or errored"))
        #expect(!text.contains("started by the bench"))
    }

    @Test func jsonCarriesBothPathsAndTheTargets() throws {
        let report = DispatchBenchReport(
            master: "m", worker: "w", skill: "finalize", concurrency: 2, spawned: false,
            direct: Self.path(tasks: 10, seconds: 1, p50: 1, p99: 1),
            viaMaster: Self.path(tasks: 10, seconds: 2, p50: 2, p99: 3))
        let object = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any])
        #expect(object["addedP50Ms"] as? Double == 1)
        #expect(object["throughputTarget"] as? Double == 2000)
        #expect(object["addedP50TargetMs"] as? Double == 2)
        let via = try #require(object["viaMaster"] as? [String: Any])
        #expect(via["throughput"] as? Double == 5)
        #expect(via["tasks"] as? Int == 10)
        let decoded = try JSONDecoder().decode(DispatchBenchReport.self, from: try JSONEncoder().encode(report))
        #expect(decoded == report)
    }

    @Test func pathFiguresComeFromTheHistogram() {
        var measurement = PathMeasurement()
        for value in 1...100 { measurement.histogram.record(nanoseconds: UInt64(value) * 1_000_000) }
        measurement.completed = 98
        measurement.failed = 2
        measurement.httpErrors = 5
        measurement.seconds = 2
        let path = DispatchBenchReport.Path(measurement)
        #expect(path.tasks == 100)
        #expect(path.errors == 5)
        #expect(path.throughput == 50)
        #expect(abs(path.p50Ms - 50) < 0.5)
        #expect(abs(path.p99Ms - 99) < 1)
        #expect(path.maxMs == 100)
    }
}
