import Foundation
import MeshTesting
import Testing

/// Steps whose outcome comes back as push notifications to the master's `/result`.
@Suite(.serialized) struct MasterPushTests {
    @Test func aPushWakesTheWaitingStepAndUnknownTokensAreRefused() async throws {
        // The workers' static discovery does not list the master, so its /result on 127.0.0.1 is not a known mesh
        // agent to them, and this mesh has no mesh key: loopback is allowed here on purpose.
        try await MasterMesh.withPushDelivery(meshFileExtra: "webhooks: { allowPrivateNetworks: true }") { mesh in
            let id = try await mesh.expectCompletionByPush()
            let history = try await mesh.request(.GET, "/task/\(id)").json["history"] as? [[String: Any]]
            #expect(history?.first?["agent"] as? String == "worker-b")

            let update =
                #"{"statusUpdate": {"taskId": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}"#
            let unknown = try await mesh.request(
                .POST, "/result", json: update, headers: ["X-A2A-Notification-Token": "made-up"])
            #expect(unknown.status == 401, "\(unknown.text)")
            #expect(unknown.text.contains("unknown or expired notification token"))
            let missing = try await mesh.request(.POST, "/result", json: update)
            #expect(missing.status == 401)
            #expect(missing.text.contains("X-A2A-Notification-Token"))
            let garbage = try await mesh.request(
                .POST, "/result", json: #"{"nothing": true}"#, headers: ["X-A2A-Notification-Token": "made-up"])
            #expect(garbage.status == 400, "\(garbage.text)")
        }
    }
}

/// Webhooks on terminal states, and a Redis restart in the middle of a run.
@Suite(.serialized) struct MasterDeliveryTests {
    @Test func theWebhookHearsTheTerminalStateOnce() async throws {
        try await HTTPTestServer.withServer { webhook in
            // The receiver listens on 127.0.0.1, which the master refuses by default: allowed here on purpose.
            try await MasterMesh.with(
                agents: [.init(name: "master"), .init(name: "worker-b")],
                meshFileExtra: "webhooks: { allowPrivateNetworks: true }"
            ) { mesh in
                let id = try await mesh.submit(
                    #"{"input": "What is an agent card?", "skill": "retrieve", "webhook": "\#(webhook.baseURL)/done"}"#)
                #expect(try await mesh.result(id)["state"] as? String == "completed")
                let requests = try await webhook.waitForRequests(count: 1, timeout: .seconds(20))
                #expect(requests.count == 1)
                let body = (try? JSONSerialization.jsonObject(with: requests[0].body)) as? [String: Any]
                #expect(requests[0].uri == "/done" && requests[0].header("X-Mesh-Task") == id)
                #expect(body?["id"] as? String == id && body?["state"] as? String == "completed")
            }
        }
    }

    @Test func tasksAcceptedBeforeARedisRestartAllComplete() async throws {
        try await MasterMesh.with(agents: [.init(name: "master"), .init(name: "worker-b"), .init(name: "worker-d")]) {
            mesh in
            var ids: [String] = []
            for index in 0..<30 {
                ids.append(try await mesh.submit(#"{"input": "agent cards \#(index)", "pipeline": "load"}"#))
            }
            // Redis dies (SIGKILL) while they run; the append-only file (fsync always) keeps every acknowledged write.
            await mesh.redis.crash()
            try await Task.sleep(for: .milliseconds(500))
            try await mesh.redis.restart()
            for index in 30..<40 {
                ids.append(try await Self.submitRetrying(mesh, index: index))
            }
            for id in ids {
                let result = try await mesh.result(id, timeout: .seconds(120))
                #expect(
                    result["state"] as? String == "completed", "\(id): \(result)\n\(mesh.logs("master").suffix(3000))")
            }
            let left = try await mesh.dispatchEntriesLeft()
            #expect(left == 0, "dispatch entries left: \(left)")
        }
    }

    static func submitRetrying(_ mesh: MasterMesh, index: Int) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let reply = try? await mesh.request(
                .POST, "/task", json: #"{"input": "agent cards \#(index)", "pipeline": "load"}"#,
                headers: ["Idempotency-Key": "restart-\(index)"]), reply.status == 202,
                let id = reply.json["id"] as? String
            {
                return id
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("task \(index) could not be submitted after the restart")
        throw CancellationError()
    }
}

extension MasterMesh {
    /// A master and worker-b whose steps come back as pushes to the master's `/result`: GetTask polls only every
    /// 60 s, so a task that ends in seconds was woken by a push.
    static func withPushDelivery(meshFileExtra: String, _ body: (MasterMesh) async throws -> Void) async throws {
        try await with(
            agents: [.init(name: "master"), .init(name: "worker-b")],
            masterEnvironment: ["MESH_DELIVERY": "push", "MESH_POLL_INTERVAL_SECONDS": "60"],
            meshFileExtra: meshFileExtra, body)
    }

    /// Submits a one-step task and expects it completed well before the next poll; returns its id.
    func expectCompletionByPush() async throws -> String {
        let started = ContinuousClock.now
        let id = try await submit(#"{"input": "What is an agent card?", "skill": "retrieve"}"#)
        let result = try await result(id, timeout: .seconds(50))
        #expect(result["state"] as? String == "completed", "\(result)\n\(logs("master"))")
        #expect(ContinuousClock.now - started < .seconds(50))
        return id
    }
}
