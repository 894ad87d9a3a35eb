import Redis
import Testing

@testable import MeshBench

@Suite struct RedisBenchWorkloadTests {
    private func configuration(
        pipeline: Int = 16, keyspace: Int = 100, valueSize: Int = 3, maxLength: Int? = nil
    ) -> RedisBenchConfiguration {
        RedisBenchConfiguration(
            redis: RedisConfiguration(), pipeline: pipeline, keyspace: keyspace, valueSize: valueSize,
            streamMaxLength: maxLength)
    }

    private func text(_ command: RedisCommand) -> [String] {
        command.arguments.map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func setPipelinesCoverTheKeyspaceInOrder() {
        let workload = RedisBenchWorkload(test: .set, configuration: configuration(pipeline: 4, keyspace: 10))
        // 10 keys in pipelines of 4: three pipelines, the last one wrapping around to key 0.
        #expect(workload.pipelines.count == 3)
        #expect(workload.pipelines.allSatisfy { $0.count == 4 })
        #expect(text(workload.pipelines[0][0]) == ["SET", "bench:key:0", "xxx"])
        #expect(text(workload.pipelines[1][3]) == ["SET", "bench:key:7", "xxx"])
        #expect(workload.pipelines[2].map { text($0)[1] } == ["bench:key:8", "bench:key:9", "bench:key:0", "bench:key:1"])
    }

    @Test func getPipelinesReadTheSameKeys() {
        let workload = RedisBenchWorkload(test: .get, configuration: configuration(pipeline: 2, keyspace: 3))
        #expect(workload.pipelines.flatMap { $0 }.map(text) == [
            ["GET", "bench:key:0"], ["GET", "bench:key:1"], ["GET", "bench:key:2"], ["GET", "bench:key:0"],
        ])
    }

    @Test func ringIsCappedForHugeKeyspaces() {
        let workload = RedisBenchWorkload(test: .get, configuration: configuration(pipeline: 1, keyspace: 1_000_000))
        #expect(workload.pipelines.count == RedisBenchWorkload.maxPipelines)
    }

    @Test func valueSizeIsHonoured() {
        let workload = RedisBenchWorkload(test: .set, configuration: configuration(pipeline: 1, keyspace: 1, valueSize: 0))
        #expect(workload.pipelines[0][0].arguments[2].isEmpty)
    }

    @Test func xaddWithAndWithoutTrimming() {
        let plain = RedisBenchWorkload(test: .xadd, configuration: configuration(pipeline: 3))
        #expect(plain.pipelines.count == 1)
        #expect(plain.pipelines[0].count == 3)
        #expect(text(plain.pipelines[0][0]) == ["XADD", "bench:stream", "*", "field", "value"])
        let trimmed = RedisBenchWorkload(test: .xadd, configuration: configuration(maxLength: 1000))
        #expect(text(trimmed.pipelines[0][0]) == ["XADD", "bench:stream", "MAXLEN", "~", "1000", "*", "field", "value"])
    }

    @Test func populationWritesEveryKeyOnce() {
        let pipelines = RedisBenchWorkload.population(configuration: configuration(keyspace: 600), depth: 256)
        #expect(pipelines.map(\.count) == [256, 256, 88])
        let keys = pipelines.flatMap { $0 }.map { text($0)[1] }
        #expect(Set(keys).count == 600)
        #expect(keys.last == "bench:key:599")
    }

    @Test func testListParsing() throws {
        #expect(try RedisBenchTest.parseList("set,get,xadd") == [.set, .get, .xadd])
        #expect(try RedisBenchTest.parseList(" XADD , set,set") == [.xadd, .set])
        #expect(throws: BenchError.self) { try RedisBenchTest.parseList("set,del") }
        #expect(throws: BenchError.self) { try RedisBenchTest.parseList(",") }
    }

    @Test func validationRejectsBadNumbers() {
        #expect(throws: BenchError.self) { try configuration(pipeline: 0).validate() }
        #expect(throws: BenchError.self) { try configuration(keyspace: 0).validate() }
        #expect(throws: BenchError.self) { try configuration(maxLength: 0).validate() }
        var noDuration = configuration()
        noDuration.durationSeconds = 0
        #expect(throws: BenchError.self) { try noDuration.validate() }
        noDuration.requests = 10
        #expect(throws: Never.self) { try noDuration.validate() }
    }

    @Test func budgetHandsOutExactlyItsPipelines() {
        let budget = PipelineBudget(pipelines: 3)
        #expect((0..<5).map { _ in budget.take() } == [true, true, true, false, false])
    }

    @Test func reportAddsUpWorkers() {
        var first = WorkerResult()
        first.pipelines = 10
        first.histogram.record(nanoseconds: 1_000_000)
        first.lastCompletion = 1_500_000_000
        var second = WorkerResult()
        second.pipelines = 30
        second.errorReplies = 2
        second.firstError = "ERR boom"
        second.histogram.record(nanoseconds: 3_000_000)
        second.lastCompletion = 2_000_000_000
        let result = RedisBenchReport.TestResult(test: .set, depth: 16, measureStart: 1_000_000_000, workers: [first, second])
        #expect(result.commands == 640)
        #expect(result.pipelines == 40)
        #expect(result.seconds == 1)
        #expect(result.opsPerSecond == 640)
        #expect(result.errors == 2)
        #expect(result.firstError == "ERR boom")
        #expect(result.latency.max == 3)
    }
}
