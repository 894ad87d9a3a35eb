import A2A
import AsyncHTTPClient
import Foundation
import MeshTesting
import Testing

/// The master's and a worker's `/metrics` after real tasks: the counters equal the tasks run.
@Suite(.serialized) struct MasterMetricsTests {
    @Test func countersEqualTheTasksRunAndTheGaugesReadRedis() async throws {
        try await MasterMesh.with(
            agents: [.init(name: "master"), .init(name: "worker-b")], meshFileExtra: "dispatch: { maxAttempts: 2 }"
        ) { mesh in
            let runs = 3
            var ids: [String] = []
            for index in 0..<runs {
                ids.append(
                    try await mesh.submit(#"{"input": "What is an agent card? \#(index)", "pipeline": "quick"}"#))
            }
            for id in ids { #expect(try await mesh.result(id)["state"] as? String == "completed") }
            let lost = try await mesh.submit(#"{"input": "Say hello in French", "skill": "translate"}"#)
            #expect(try await mesh.result(lost)["state"] as? String == "failed")
            #expect(try await mesh.dispatchEntriesLeft() == 0)

            let reply = try await mesh.request(.GET, "/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let master = PrometheusSamples(reply.text)
            #expect(master.sum("mesh_tasks_submitted_total") == Double(runs + 1))
            #expect(master.sum("mesh_tasks_total", ["pipeline": "quick", "state": "completed"]) == Double(runs))
            #expect(master.sum("mesh_tasks_total", ["pipeline": "none", "state": "dead_lettered"]) == 1)
            #expect(master.sum("mesh_tasks_total") == Double(runs + 1), "each task counted once")
            let quick = ["pipeline": "quick", "state": "completed"]
            #expect(master.sum("mesh_dispatch_duration_seconds_count", quick) == Double(runs))
            #expect(master.sum("mesh_dispatch_duration_seconds_sum", quick) > 0)
            let steps = ["skill": "retrieve", "outcome": "completed"]
            #expect(master.sum("mesh_step_duration_seconds_count", steps) == Double(runs))
            #expect(master.sum("mesh_step_duration_seconds_count", ["outcome": "failed"]) == 0)
            // The skill nobody has never reached an agent: no step was timed and no attempt went out again.
            #expect(master.sum("mesh_step_retries_total") == 0)
            #expect(master.sum("mesh_dlq_size") == 1)
            #expect(master.sum("mesh_dispatch_queue_length") == 0)
            #expect(master.sum("mesh_dispatch_pending") == 0)
            #expect(master.matching("mesh_agent_inflight", ["agent": "worker-b"]).map(\.value) == [0])
            let requests = "mesh_http_requests_total"
            #expect(master.sum(requests, ["route": "/task", "method": "POST", "status": "202"]) == Double(runs + 1))
            #expect(
                master.sum(requests, ["route": "/result/{id}", "method": "GET", "status": "200"]) >= Double(runs + 1))
            #expect(master.matching(requests).allSatisfy { !$0.labels["route"]!.contains(lost) })

            // The worker counts the A2A tasks it ran, by skill.
            let worker = PrometheusSamples(try await get("http://127.0.0.1:\(mesh.ports["worker-b"]!)/metrics"))
            #expect(worker.sum("mesh_a2a_tasks_total", ["skill": "retrieve", "state": "completed"]) == Double(runs))
            #expect(worker.sum("mesh_a2a_tasks_total") == Double(runs))
            #expect(worker.sum("mesh_inflight_tasks", ["agent": "worker-b"]) == 0)
            #expect(worker.sum("mesh_tasks_total") == 0, "only the master counts mesh tasks")

            // Replaying the dead letter empties the DLQ, and the gauge says so at the next scrape.
            #expect(try await mesh.request(.POST, "/dlq/\(lost)/replay").status == 202)
            _ = try await mesh.result(lost)
            let after = PrometheusSamples(try await mesh.request(.GET, "/metrics").text)
            #expect(after.sum("mesh_dlq_size") == 1, "the replayed task failed again and is back in the DLQ")
            #expect(after.sum("mesh_tasks_total", ["pipeline": "none", "state": "dead_lettered"]) == 2)
        }
    }

    private func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(20))
        #expect(response.status == .ok)
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }
}
