import A2A
import A2AClient
import Foundation
import MeshTesting
import Testing

/// W3C trace context across real processes: one task's trace id is in its record, in the answers, in the A2A tasks
/// of the workers that ran its steps, and in the logs of every process it touched (master, workers, llm-gateway).
@Suite(.serialized) struct MasterTraceTests {
    @Test func oneTaskKeepsTheCallersTraceOnEveryHopAndInEveryLog() async throws {
        try await MasterMesh.with(agents: MasterPipelineTests.fullMesh) { mesh in
            let traceID = Self.randomHex(32)
            let parent = "00-\(traceID)-\(Self.randomHex(16))-01"
            let submitted = try await mesh.request(
                .POST, "/task", json: #"{"input": "Explain the A2A protocol"}"#,
                headers: ["traceparent": parent, "tracestate": "mesh=test"])
            #expect(submitted.status == 202, "\(submitted.text)")
            let id = try #require(submitted.json["id"] as? String)
            #expect(submitted.json["traceId"] as? String == traceID, "\(submitted.text)")
            let returned = try #require(submitted.header("traceparent"))
            #expect(returned.hasPrefix("00-\(traceID)-") && returned != parent, "\(returned)")
            #expect(submitted.header("tracestate") == "mesh=test")

            let result = try await mesh.result(id)
            #expect(result["state"] as? String == "completed", "\(result)\n\(mesh.logs("master").suffix(3000))")
            #expect(result["traceId"] as? String == traceID)
            let task = try await mesh.request(.GET, "/task/\(id)")
            #expect(task.json["traceId"] as? String == traceID)
            #expect(task.header("traceparent").map { !$0.contains(traceID) } == true, "GET is a trace of its own")

            // Each worker's A2A task of a step names the trace in its metadata.
            let steps = (task.json["history"] as? [[String: Any]] ?? []).filter {
                $0["state"] as? String == "completed"
            }
            let touched = Set(steps.compactMap { $0["agent"] as? String })
            #expect(touched == ["worker-a", "worker-b", "worker-c", "worker-d"], "\(steps)")
            for step in steps {
                let agent = try #require(step["agent"] as? String)
                let childID = try #require(step["taskId"] as? String)
                let client = try await A2AClient.connect(to: "http://127.0.0.1:\(mesh.ports[agent]!)")
                let child = try await client.getTask(GetTaskRequest(id: childID))
                #expect(child.metadata?["traceId"] == .string(traceID), "\(agent): \(child.metadata ?? [:])")
            }

            // The trace id is in the logs of every process the task touched, on the line of each step's task.
            for key in ["master", "llm-gateway"] + touched.sorted() {
                let found = await Self.eventually { mesh.logs(key).contains("trace_id=\(traceID)") }
                #expect(found, "no trace_id=\(traceID) in the log of \(key):\n\(mesh.logs(key).suffix(2000))")
            }
            for step in steps {
                let agent = step["agent"] as? String ?? ""
                let childID = step["taskId"] as? String ?? ""
                let lines = mesh.logs(agent).split(separator: "\n").filter { $0.contains(childID) }
                #expect(!lines.isEmpty, "\(agent) logged nothing about its task \(childID)")
                #expect(lines.allSatisfy { $0.contains("trace_id=\(traceID)") }, "\(lines)")
            }
            let masterLines = mesh.logs("master").split(separator: "\n").filter { $0.contains("step started") }
            #expect(
                masterLines.count >= 4 && masterLines.allSatisfy { $0.contains("trace_id=\(traceID)") },
                "\(masterLines)")

            // Without a traceparent the master starts a trace, returns it, and the workers continue it.
            let plain = try await mesh.request(
                .POST, "/task", json: #"{"input": "What is an agent card?", "pipeline": "quick"}"#)
            #expect(plain.status == 202, "\(plain.text)")
            let plainID = try #require(plain.json["id"] as? String)
            let newTrace = try #require(plain.json["traceId"] as? String)
            #expect(newTrace.count == 32 && newTrace != traceID)
            #expect(plain.header("traceparent")?.hasPrefix("00-\(newTrace)-") == true)
            #expect(try await mesh.result(plainID)["traceId"] as? String == newTrace)
            let retrieved = await Self.eventually { mesh.logs("worker-b").contains("trace_id=\(newTrace)") }
            #expect(retrieved, "worker-b did not log the new trace \(newTrace)")

            // An invalid traceparent is dropped: a new trace starts.
            let invalid = try await mesh.request(
                .POST, "/task", json: #"{"input": "What is an agent card?", "pipeline": "quick"}"#,
                headers: ["traceparent": "00-\(traceID)-0000000000000000-01"])
            let invalidTrace = try #require(invalid.json["traceId"] as? String, "\(invalid.text)")
            #expect(invalidTrace != traceID && invalidTrace.count == 32)
            #expect(
                try await mesh.result(try #require(invalid.json["id"] as? String))["state"] as? String == "completed")
        }
    }

    static func randomHex(_ digits: Int) -> String {
        String((0..<digits).map { _ in "0123456789abcdef".randomElement()! })
    }

    /// True once `check` is, within 5 s (a process's last lines may still be on their way to its log file).
    static func eventually(_ check: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(5)
        while !check() {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return true
    }
}
