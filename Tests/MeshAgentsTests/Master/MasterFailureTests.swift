import A2A
import A2AClient
import Foundation
import MeshTesting
import Testing

/// Bad input, dead letters, idempotency and cancel against a real master process.
@Suite(.serialized) struct MasterFailureTests {
    @Test func malformedTasksGetAClearErrorAndCreateNothing() async throws {
        try await MasterMesh.with(agents: [.init(name: "master"), .init(name: "worker-b")]) { mesh in
            let cases: [(String, String?, Int, String)] = [
                ("{not json", nil, 400, "not valid JSON"),
                (#"["input"]"#, nil, 400, "JSON object"),
                (#"{"text": "hi"}"#, nil, 400, "unknown field 'text'"),
                (#"{"pipeline": "default"}"#, nil, 400, "missing 'input'"),
                (#"{"input": "   "}"#, nil, 400, "must not be empty"),
                (#"{"input": 42}"#, nil, 400, "'input' must be a string"),
                (#"{"input": "x", "pipeline": "default", "skill": "retrieve"}"#, nil, 400, "not both"),
                (#"{"input": "x", "pipeline": "nope"}"#, nil, 400, "unknown pipeline 'nope'"),
                (#"{"input": "x", "webhook": "ftp://example"}"#, nil, 400, "'webhook'"),
                (#"{"input": "x", "metadata": "m"}"#, nil, 400, "'metadata' must be an object"),
                (#"{"input": "x"}"#, "text/plain", 415, "application/json"),
            ]
            for (body, contentType, status, message) in cases {
                var headers: [String: String] = [:]
                if let contentType { headers["Content-Type"] = contentType }
                let reply = try await mesh.request(.POST, "/task", json: body, headers: headers)
                #expect(reply.status == status, "\(body): \(reply.text)")
                let error = reply.json["error"] as? [String: Any]
                #expect((error?["message"] as? String)?.contains(message) == true, "\(body): \(reply.text)")
            }
            #expect(try await mesh.redis.redisCLI("XLEN", "mesh:dispatch") == "0")
            #expect(try await mesh.redis.redisCLI("--scan", "--pattern", "mesh:task:*").isEmpty)
            let missing = try await mesh.request(.GET, "/task/nope")
            #expect(missing.status == 404)
            #expect(try await mesh.request(.GET, "/result/nope").status == 404)
            #expect(try await mesh.request(.GET, "/task/nope/events").status == 404)
            #expect(try await mesh.request(.POST, "/task/nope/cancel").status == 404)
        }
    }

    @Test func aSkillNoAgentHasEndsInTheDeadLetterQueueWithTheReasonAndCanBeReplayed() async throws {
        // mesh.yaml sets the attempts; the test environment's MESH_RETRY_BACKOFF_MS keeps the backoff short.
        try await MasterMesh.with(
            agents: [.init(name: "master"), .init(name: "worker-b")], meshFileExtra: "dispatch: { maxAttempts: 2 }"
        ) { mesh in
            let id = try await mesh.submit(#"{"input": "Say hello in French", "skill": "translate"}"#)
            let result = try await mesh.result(id, timeout: .seconds(60))
            #expect(result["state"] as? String == "failed")
            #expect(
                (result["error"] as? String)?.contains("no live agent offers skill 'translate'") == true, "\(result)")
            let task = try await mesh.request(.GET, "/task/\(id)").json
            #expect(task["deadLettered"] as? Bool == true)
            #expect((task["history"] as? [Any])?.count == 2, "two attempts, as mesh.yaml says: \(task)")

            let dlq = try await mesh.request(.GET, "/dlq").json
            #expect(dlq["size"] as? Int == 1)
            let entry = (dlq["entries"] as? [[String: Any]])?.first
            #expect(entry?["taskId"] as? String == id)
            #expect(entry?["skill"] as? String == "translate")
            #expect((entry?["reason"] as? String)?.contains("translate") == true)
            #expect((entry?["history"] as? [Any])?.count == 2)
            #expect(entry?["attempts"] as? Int == 2)

            let replay = try await mesh.request(.POST, "/dlq/\(id)/replay")
            #expect(replay.status == 202, "\(replay.text)")
            #expect(try await mesh.request(.POST, "/dlq/\(id)/replay").status == 404)
            let again = try await mesh.result(id, timeout: .seconds(60))
            #expect(again["state"] as? String == "failed")
            let events = try await mesh.events(id).map(\.type)
            #expect(events.filter { $0 == "dead-lettered" }.count == 2 && events.contains("replayed"), "\(events)")
            #expect((try await mesh.request(.GET, "/dlq").json["size"] as? Int) == 1)
        }
    }

    @Test func anIdempotencyKeyMakesARetriedSubmitReturnTheSameTask() async throws {
        try await MasterMesh.with(agents: [.init(name: "master"), .init(name: "worker-b")]) { mesh in
            let body = #"{"input": "What is an agent card?", "skill": "retrieve"}"#
            let first = try await mesh.request(.POST, "/task", json: body, headers: ["Idempotency-Key": "k-1"])
            let second = try await mesh.request(.POST, "/task", json: body, headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == 202 && second.status == 202)
            #expect(first.json["id"] as? String == second.json["id"] as? String)
            #expect(second.header("Idempotent-Replayed") == "true")
            let other = try await mesh.request(
                .POST, "/task", json: #"{"input": "different", "skill": "retrieve"}"#,
                headers: ["Idempotency-Key": "k-1"])
            #expect(other.status == 409, "\(other.text)")
            let id = try #require(first.json["id"] as? String)
            #expect(try await mesh.result(id)["state"] as? String == "completed")
            let completions = try await mesh.events(id).filter { $0.type == "completed" }
            #expect(completions.count == 1)
        }
    }

    @Test func cancelStopsTheWorkersTask() async throws {
        try await HTTPTestServer.withServer(respond: { _ in
            ScriptedResponse(
                status: 200, contentType: "text/plain", chunks: ["slow", " answer"], chunkDelay: .seconds(60))
        }) { slow in
            let worker = """
                name: worker-slow
                description: Forwards to a slow service.
                version: 1.0.0
                port: 5009
                skills:
                  - id: slow
                    name: Slow
                    description: Takes a minute.
                    tags: [slow]
                    kind: http
                    settings: { url: "\(slow.baseURL)/work", timeoutSeconds: 120 }
                """
            try await MasterMesh.with(
                agents: [.init(name: "master"), .init(name: "worker-slow")], extraAgentFiles: ["worker-slow": worker]
            ) { mesh in
                let id = try await mesh.submit(#"{"input": "take your time", "skill": "slow"}"#)
                // Wait until the worker has the step.
                var child: String?
                let deadline = ContinuousClock.now + .seconds(30)
                while child == nil, ContinuousClock.now < deadline {
                    let history = try await mesh.request(.GET, "/task/\(id)").json["history"] as? [[String: Any]]
                    child = history?.last?["taskId"] as? String
                    if child == nil { try await Task.sleep(for: .milliseconds(100)) }
                }
                let childID = try #require(child, "the step never started: \(mesh.logs("master"))")
                let canceled = try await mesh.request(.POST, "/task/\(id)/cancel")
                #expect(canceled.status == 200, "\(canceled.text)")
                #expect(canceled.json["state"] as? String == "canceled")
                #expect(try await mesh.request(.POST, "/task/\(id)/cancel").status == 409)

                let workerURL = "http://127.0.0.1:\(mesh.ports["worker-slow"]!)"
                let client = try await A2AClient.connect(to: workerURL)
                var state: TaskState?
                let until = ContinuousClock.now + .seconds(15)
                while state != .canceled, ContinuousClock.now < until {
                    state = try await client.getTask(GetTaskRequest(id: childID)).status.state
                    if state != .canceled { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(state == .canceled)
                let result = try await mesh.result(id)
                #expect(result["state"] as? String == "canceled")
                let events = try await mesh.events(id).map(\.type)
                #expect(events.last == "canceled" && !events.contains("completed"), "\(events)")
            }
        }
    }
}
