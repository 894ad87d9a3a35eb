import A2A
import A2AClient
import Foundation
import Logging
import MeshRuntime
import MeshTesting
import Synchronization
import Testing

/// `GET /metrics` on an agent host: requests by route template and status, A2A tasks by skill and state,
/// executions in flight, and one registry per host.
@Suite struct HostMetricsTests {
    @Test func requestsAndTasksAreCountedByRouteSkillAndState() async throws {
        try await withRunningHost(makeConformanceHost(streamingTimeout: 1)) { base in
            let client = try await A2AClient.connect(
                to: base, configuration: A2AClientConfiguration(preferredBindings: [.jsonRPC], timeout: .seconds(20)))
            func message(_ id: String, skill: String?) -> Message {
                Message(
                    messageId: scenarioID(id), role: .user, parts: [.text("hi")],
                    metadata: skill.map { ["skill": .string($0)] })
            }
            let completed = try await client.sendForTask(message("tck-complete-task", skill: "tck"))
            _ = try await client.sendForTask(message("tck-complete-task", skill: "tck"))
            _ = try await client.sendForTask(message("tck-reject-task", skill: "echo"))
            _ = try await client.sendForTask(message("tck-input-required", skill: nil))
            // A skill the card lacks is not a label value a caller can invent.
            _ = try await client.sendForTask(message("anything", skill: "made-up"))
            let version = [("A2A-Version", "1.0")]
            #expect(try await rawRequest(base + "/tasks/\(completed.id)", headers: version).status == 200)
            #expect(try await rawRequest(base + "/tasks/no-such-task", headers: version).status == 404)
            #expect(try await rawRequest(base + "/no/such/route").status == 404)

            let response = try await rawRequest(base + "/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            let metrics = PrometheusSamples(String(decoding: response.body, as: UTF8.self))
            let tasks = "mesh_a2a_tasks_total"
            #expect(metrics.sum(tasks, ["skill": "tck", "state": "completed"]) == 2)
            #expect(metrics.sum(tasks, ["skill": "echo", "state": "rejected"]) == 1)
            #expect(metrics.sum(tasks, ["skill": "unspecified", "state": "input_required"]) == 1)
            #expect(metrics.sum(tasks, ["skill": "unknown", "state": "completed"]) == 1)
            #expect(metrics.sum(tasks) == 5)

            let requests = "mesh_http_requests_total"
            #expect(metrics.sum(requests, ["route": "/", "method": "POST", "status": "200"]) == 5)
            #expect(metrics.sum(requests, ["route": "/tasks/{id}", "method": "GET", "status": "200"]) == 1)
            #expect(metrics.sum(requests, ["route": "/tasks/{id}", "method": "GET", "status": "404"]) == 1)
            #expect(metrics.sum(requests, ["route": "unmatched", "method": "GET", "status": "404"]) == 1)
            #expect(metrics.matching(requests).allSatisfy { !$0.labels["route"]!.contains(completed.id) })
            let durations = "mesh_http_request_duration_seconds_count"
            #expect(metrics.sum(durations, ["route": "/"]) == 5)
            #expect(metrics.sum(durations) == metrics.sum(requests))
            #expect(metrics.types["mesh_http_request_duration_seconds"] == "histogram")
            #expect(metrics.sum("mesh_inflight_tasks", ["agent": "conformance-test"]) == 0)

            // The scrape itself is counted by the next one.
            let again = PrometheusSamples(String(decoding: try await rawRequest(base + "/metrics").body, as: UTF8.self))
            #expect(again.sum(requests, ["route": "/metrics", "status": "200"]) == 1)
        }
    }

    @Test func aRunningExecutionIsInFlightUntilItEnds() async throws {
        try await withRunningHost(makeConformanceHost(streamingTimeout: 1)) { base in
            let client = try await A2AClient.connect(to: base)
            // This scenario works for two streaming timeouts (2 s) before it completes.
            let response = try await client.sendMessage(
                SendMessageRequest(
                    message: Message(
                        messageId: scenarioID("test-resubscribe-message-id"), role: .user, parts: [.text("x")]),
                    configuration: SendMessageConfiguration(returnImmediately: true)))
            guard case .task(let task) = response else {
                Issue.record("expected a task, got \(response)")
                return
            }
            let running = try await scrape(base)
            #expect(running.sum("mesh_inflight_tasks", ["agent": "conformance-test"]) == 1)
            #expect(running.sum("mesh_a2a_tasks_total") == 0)

            let deadline = ContinuousClock.now + .seconds(20)
            while try await client.getTask(GetTaskRequest(id: task.id)).status.state != .completed {
                try #require(ContinuousClock.now < deadline, "the task did not complete")
                try await Task.sleep(for: .milliseconds(100))
            }
            // The runner counts the execution until the executor returned, just after the last event.
            var ended = try await scrape(base)
            while ended.sum("mesh_inflight_tasks") != 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                ended = try await scrape(base)
            }
            #expect(ended.sum("mesh_inflight_tasks", ["agent": "conformance-test"]) == 0)
            #expect(ended.sum("mesh_a2a_tasks_total", ["skill": "unspecified", "state": "completed"]) == 1)
        }
    }

    @Test func twoHostsInOneProcessKeepTheirOwnNumbers() async throws {
        try await withRunningHost(makeConformanceHost()) { first in
            try await withRunningHost(makeConformanceHost()) { second in
                let client = try await A2AClient.connect(to: first)
                _ = try await client.sendForTask(userMessage(scenarioID("tck-complete-task")))
                #expect(try await scrape(first).sum("mesh_a2a_tasks_total") == 1)
                let other = try await scrape(second)
                #expect(other.sum("mesh_a2a_tasks_total") == 0)
                #expect(other.sum("mesh_http_requests_total", ["route": "/"]) == 0)
            }
        }
    }

    @Test func refreshersRunBeforeEveryScrapeAndGoneAgentsReportZero() async throws {
        let metrics = MeshMetrics()
        let inFlight = InFlightFake()
        metrics.reportAgentInflight { inFlight.counts }
        inFlight.counts = ["worker-a": 2, "worker-b": 1]
        var samples = PrometheusSamples(await metrics.scrape())
        #expect(samples.sum("mesh_agent_inflight", ["agent": "worker-a"]) == 2)
        #expect(samples.sum("mesh_agent_inflight", ["agent": "worker-b"]) == 1)
        inFlight.counts = ["worker-a": 1]
        samples = PrometheusSamples(await metrics.scrape())
        #expect(samples.sum("mesh_agent_inflight", ["agent": "worker-a"]) == 1)
        #expect(samples.matching("mesh_agent_inflight", ["agent": "worker-b"]).map(\.value) == [0])
    }

    @Test func aQueueThatCannotBeReadKeepsItsLastValue() async throws {
        struct Unreachable: Error {}
        let metrics = MeshMetrics()
        let fails = InFlightFake()
        metrics.reportDispatchQueue(logger: .init(label: "test")) {
            if fails.counts["fail"] != nil { throw Unreachable() }
            return (length: 3, pending: 2, deadLetters: 1)
        }
        var samples = PrometheusSamples(await metrics.scrape())
        #expect(samples.sum("mesh_dispatch_queue_length") == 3)
        #expect(samples.sum("mesh_dispatch_pending") == 2)
        #expect(samples.sum("mesh_dlq_size") == 1)
        fails.counts = ["fail": 1]
        samples = PrometheusSamples(await metrics.scrape())
        #expect(samples.sum("mesh_dlq_size") == 1)
    }

    @Test func masterSeriesStartAtZeroAndCountEachEnd() async throws {
        let metrics = MeshMetrics()
        metrics.startMasterSeries(pipelines: ["default"])
        var samples = PrometheusSamples(await metrics.scrape())
        #expect(samples.matching("mesh_tasks_submitted_total").map(\.value) == [0])
        #expect(samples.matching("mesh_tasks_total").count == 8, "4 end states for default and none")
        #expect(samples.sum("mesh_tasks_total") == 0)

        metrics.recordTaskSubmitted()
        metrics.recordTaskSubmitted()
        metrics.recordTaskEnded(pipeline: "default", end: .completed, sinceSubmission: .milliseconds(300))
        metrics.recordTaskEnded(pipeline: nil, end: .deadLettered, sinceSubmission: .seconds(2))
        metrics.recordStep(skill: "plan", outcome: "completed", duration: .milliseconds(40))
        metrics.recordStepRetry(skill: "plan")
        samples = PrometheusSamples(await metrics.scrape())
        #expect(samples.sum("mesh_tasks_submitted_total") == 2)
        #expect(samples.sum("mesh_tasks_total", ["pipeline": "default", "state": "completed"]) == 1)
        #expect(samples.sum("mesh_tasks_total", ["pipeline": "none", "state": "dead_lettered"]) == 1)
        let dispatch = ["pipeline": "default", "state": "completed"]
        #expect(samples.sum("mesh_dispatch_duration_seconds_count", dispatch) == 1)
        #expect(samples.sum("mesh_dispatch_duration_seconds_sum", dispatch) == 0.3)
        #expect(samples.sum("mesh_dispatch_duration_seconds_bucket", dispatch.merging(["le": "0.25"]) { $1 }) == 0)
        #expect(samples.sum("mesh_dispatch_duration_seconds_bucket", dispatch.merging(["le": "0.5"]) { $1 }) == 1)
        #expect(samples.sum("mesh_step_duration_seconds_count", ["skill": "plan", "outcome": "completed"]) == 1)
        #expect(samples.sum("mesh_step_retries_total", ["skill": "plan"]) == 1)
    }
}

/// Counts a test changes between scrapes.
private final class InFlightFake: Sendable {
    private let value = Mutex<[String: Int]>([:])
    var counts: [String: Int] {
        get { value.withLock { $0 } }
        set { value.withLock { $0 = newValue } }
    }
}

private func scrape(_ base: String) async throws -> PrometheusSamples {
    PrometheusSamples(String(decoding: try await rawRequest(base + "/metrics").body, as: UTF8.self))
}
