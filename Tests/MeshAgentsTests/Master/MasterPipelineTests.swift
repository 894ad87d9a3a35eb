import A2A
import A2AClient
import Foundation
import MeshTesting
import Testing

/// The default pipeline through the master, on six separate agent processes, Redis with TLS and ACL.
@Suite(.serialized) struct MasterPipelineTests {
    static let fullMesh: [MasterMesh.Agent] = [
        .init(name: "master"), .init(name: "llm-gateway"), .init(name: "worker-a"), .init(name: "worker-b"),
        .init(name: "worker-c"), .init(name: "worker-d"),
    ]

    @Test func aTaskRunsTheDefaultPipelineOnSixProcessesAndLeavesItsRecordInRedis() async throws {
        try await MasterMesh.with(agents: Self.fullMesh) { mesh in
            let submitted = try await mesh.request(.POST, "/task", json: #"{"input": "Explain the A2A protocol"}"#)
            #expect(submitted.status == 202, "\(submitted.text)")
            let id = try #require(submitted.json["id"] as? String)
            #expect(submitted.header("Location") == "/task/\(id)")
            #expect((submitted.json["links"] as? [String: String])?["result"] == "/result/\(id)")

            let result = try await mesh.result(id)
            #expect(result["state"] as? String == "completed", "\(result)\n\(mesh.logs("master"))")
            let artifacts = result["artifacts"] as? [[String: Any]] ?? []
            let parts = artifacts.first?["parts"] as? [[String: Any]] ?? []
            let markdown = parts.first?["text"] as? String ?? ""
            #expect(markdown.hasPrefix("# Explain the A2A protocol"), "\(result)")
            #expect(parts.first?["mediaType"] as? String == "text/markdown")

            // Each step ran on its own agent process and is recorded in the task's hash in Redis.
            let task = try await mesh.request(.GET, "/task/\(id)").json
            let history = task["history"] as? [[String: Any]] ?? []
            let steps = history.filter { $0["state"] as? String == "completed" }
            #expect(
                steps.compactMap { $0["skill"] as? String }.prefix(4) == ["plan", "retrieve", "evaluate", "finalize"]
                    || steps.compactMap { $0["skill"] as? String }.contains("finalize"), "\(history)")
            #expect(
                Set(steps.compactMap { $0["agent"] as? String }) == ["worker-a", "worker-b", "worker-c", "worker-d"])
            #expect(steps.allSatisfy { ($0["taskId"] as? String)?.isEmpty == false })
            let stored = try await mesh.redis.redisCLI("HGET", "mesh:task:{\(id)}", "state")
            #expect(stored == "completed")
            let json = try await mesh.redis.redisCLI("HGET", "mesh:task:{\(id)}", "json")
            #expect(json.contains("\"finalize\"") && json.contains("worker-d"))
            // The workers' own A2A task records are in Redis too.
            let planTask = try #require(steps.first?["taskId"] as? String)
            #expect(try await mesh.redis.redisCLI("EXISTS", "mesh:a2a:worker-a:task:{\(planTask)}") == "1")

            // The event stream replays the whole run and resumes after a given event.
            let events = try await mesh.events(id)
            let types = events.map(\.type)
            #expect(types.first == "queued" && types.last == "completed", "\(types)")
            #expect(types.filter { $0 == "step-started" }.count >= 4)
            #expect(types.filter { $0 == "completed" }.count == 1)
            let resumed = try await mesh.events(id, after: events[2].id)
            #expect(resumed.map(\.id) == Array(events.dropFirst(3).map(\.id)))
            #expect(events.last?.data["progress"] as? Double == 1)
        }
    }

    @Test func sendMessageToTheMasterStreamsProgressAndInvocationsStreamsAgentCoreEvents() async throws {
        try await MasterMesh.with(agents: Self.fullMesh) { mesh in
            let client = try await A2AClient.connect(
                to: mesh.masterURL, configuration: A2AClientConfiguration(timeout: .seconds(120)))
            #expect(client.card?.skills.map(\.id) == ["orchestrate"])
            let message = Message(messageId: UUID().uuidString, role: .user, parts: [.text("Explain the A2A protocol")])
            var progress: [String] = []
            var final: TaskState?
            var artifactText = ""
            for try await event in try await client.sendStreamingMessage(SendMessageRequest(message: message)) {
                switch event {
                case .statusUpdate(let update):
                    if update.status.state == .working, let text = update.status.message?.text { progress.append(text) }
                    if update.status.state.isTerminal { final = update.status.state }
                case .artifactUpdate(let update):
                    artifactText += update.artifact.parts.compactMap(\.text).joined()
                case .task(let task):
                    if task.status.state.isTerminal { final = task.status.state }
                case .message: break
                }
            }
            #expect(final == .completed, "\(progress)")
            #expect(progress.contains { $0.contains("plan started on worker-a") }, "\(progress)")
            #expect(progress.contains { $0.contains("finalize done on worker-d") }, "\(progress)")
            #expect(artifactText.hasPrefix("# Explain the A2A protocol"))

            let invocation = try await mesh.request(
                .POST, "/invocations", json: #"{"prompt": "What is an agent card?", "pipeline": "quick"}"#)
            #expect(invocation.status == 200)
            #expect(invocation.header("Content-Type") == "text/event-stream")
            let blocks = invocation.text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
            #expect(blocks.first?.hasPrefix("event: progress\ndata: {") == true, "\(invocation.text)")
            #expect(blocks.last?.hasPrefix("event: result\ndata: {") == true, "\(invocation.text)")
            let last = blocks.last.map { String($0.split(separator: "\n")[1].dropFirst(6)) } ?? ""
            let data = (try? JSONSerialization.jsonObject(with: Data(last.utf8))) as? [String: Any] ?? [:]
            #expect(data["type"] as? String == "result" && data["status"] as? String == "completed")
            #expect(data["progress"] as? Double == 1)
        }
    }

    @Test func dispatchRoutesOneMessageToALiveAgentWithTheSkill() async throws {
        try await MasterMesh.with(agents: [.init(name: "master"), .init(name: "worker-b", replicas: 2)]) { mesh in
            var agentsSeen = Set<String>()
            for _ in 0..<4 {
                let reply = try await mesh.request(
                    .POST, "/dispatch",
                    json:
                        #"{"skill": "retrieve", "message": {"messageId": "m-\#(UUID().uuidString)", "role": "ROLE_USER", "parts": [{"text": "What is an agent card?"}]}}"#
                )
                #expect(reply.status == 200, "\(reply.text)")
                let task = reply.json["task"] as? [String: Any]
                #expect(
                    (task?["status"] as? [String: Any])?["state"] as? String == "TASK_STATE_COMPLETED", "\(reply.text)")
                agentsSeen.insert(reply.header("X-Mesh-Agent-URL") ?? "")
            }
            // Two replicas with nothing in flight: ties go round-robin.
            #expect(agentsSeen.count == 2, "\(agentsSeen)")

            mesh.kill("worker-b#2")
            for _ in 0..<3 {
                let reply = try await mesh.request(
                    .POST, "/dispatch",
                    json:
                        #"{"message": {"messageId": "m-\#(UUID().uuidString)", "role": "ROLE_USER", "parts": [{"text": "agent card"}], "metadata": {"skill": "retrieve"}}}"#
                )
                #expect(reply.status == 200, "\(reply.text)")
            }
            let none = try await mesh.request(
                .POST, "/dispatch",
                json:
                    #"{"skill": "translate", "message": {"messageId": "m1", "role": "ROLE_USER", "parts": [{"text": "hi"}]}}"#
            )
            #expect(none.status == 503)
            #expect(((none.json["error"] as? [String: Any])?["message"] as? String)?.contains("translate") == true)
            // A body without a message gets 400 saying what is missing.
            let empty = try await mesh.request(.POST, "/dispatch", json: #"{"skill": "retrieve"}"#)
            #expect(empty.status == 400, "\(empty.text)")
            #expect(
                ((empty.json["error"] as? [String: Any])?["message"] as? String)?
                    .hasPrefix("the body needs 'message', an A2A Message") == true, "\(empty.text)")
        }
    }
}
