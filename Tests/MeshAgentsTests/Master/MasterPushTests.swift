import Foundation
import MeshTesting
import Testing

/// Steps whose outcome comes back as push notifications to the master's `/result`.
@Suite(.serialized) struct MasterPushTests {
    @Test func aPushWakesTheWaitingStepAndUnknownTokensAreRefused() async throws {
        // GetTask polls only every 60 s here, so a task that ends in seconds was woken by the worker's push.
        try await MasterMesh.with(
            agents: [.init(name: "master"), .init(name: "worker-b")],
            masterEnvironment: ["MESH_DELIVERY": "push", "MESH_POLL_INTERVAL_SECONDS": "60"]
        ) { mesh in
            let started = ContinuousClock.now
            let id = try await mesh.submit(#"{"input": "What is an agent card?", "skill": "retrieve"}"#)
            let result = try await mesh.result(id, timeout: .seconds(50))
            #expect(result["state"] as? String == "completed", "\(result)\n\(mesh.logs("master"))")
            #expect(ContinuousClock.now - started < .seconds(50))
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
