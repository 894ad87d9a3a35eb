import Foundation
import MeshTesting
import Synchronization
import Testing

/// Load with crashes: no accepted task is lost or run to completion twice.
@Suite(.serialized) struct MasterCrashTests {
    @Test func twoHundredConcurrentTasksCompleteExactlyOnceThroughAReplicaKillAndAMasterKill() async throws {
        let agents: [MasterMesh.Agent] = [
            .init(name: "master"), .init(name: "worker-b", replicas: 2), .init(name: "worker-d"),
        ]
        try await MasterMesh.with(agents: agents) { mesh in
            let count = 200
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<count {
                    group.addTask { try await Self.submit(mesh, index: index) }
                }
                group.addTask {
                    // While the tasks run: SIGKILL one retrieve replica, then the master, and restart the master
                    // as `mesh up` would.
                    try await Task.sleep(for: .milliseconds(300))
                    mesh.kill("worker-b#2")
                    try await Task.sleep(for: .milliseconds(700))
                    mesh.kill("master")
                    try await Task.sleep(for: .milliseconds(300))
                    try mesh.start("master")
                    try await mesh.waitReady("master")
                    return ""
                }
                var ids: [String] = []
                for try await id in group where !id.isEmpty { ids.append(id) }
                return ids
            }
            #expect(Set(ids).count == count)

            let results = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for id in ids {
                    group.addTask {
                        (id, try await mesh.result(id, timeout: .seconds(300))["state"] as? String ?? "none")
                    }
                }
                var states: [String: String] = [:]
                for try await (id, state) in group { states[id] = state }
                return states
            }
            let unfinished = results.filter { $0.value != "completed" }
            #expect(
                unfinished.isEmpty,
                "\(unfinished.count) not completed: \(unfinished.prefix(5))\n\(mesh.logs("master").suffix(3000))")

            // Exactly one completion per task, and no task twice.
            var completions: [String: Int] = [:]
            for id in ids {
                completions[id] = try await mesh.events(id).filter { $0.type == "completed" }.count
            }
            #expect(completions.values.allSatisfy { $0 == 1 }, "\(completions.filter { $0.value != 1 })")
            // The kills hit work in flight: both masters ran tasks.
            var owners = Set<String>()
            var untraced: [String] = []
            let finalizeLog = mesh.logs("worker-d")
            for id in ids.prefix(200) {
                let task = try await mesh.request(.GET, "/task/\(id)").json
                if let owner = task["owner"] as? String {
                    owners.insert(owner)
                }
                // Whichever master ran the last step, also after the takeover, continued the task's own trace.
                if let traceID = task["traceId"] as? String, finalizeLog.contains("trace_id=\(traceID)") { continue }
                untraced.append(id)
            }
            #expect(owners.count >= 2, "only \(owners) ran tasks: the master was killed after all work was done")
            #expect(
                untraced.isEmpty, "\(untraced.count) tasks' trace ids are not in worker-d's log: \(untraced.prefix(5))")
            let keys = try await mesh.redis.redisCLI("--scan", "--pattern", "mesh:task:*")
            let taskKeys = keys.split(separator: "\n").filter { !$0.hasSuffix(":events") }
            #expect(taskKeys.count == count)
            #expect(try await mesh.redis.redisCLI("XLEN", "mesh:dlq") == "0")
            // Every dispatch entry was acknowledged and removed once its task ended.
            let left = try await mesh.dispatchEntriesLeft()
            #expect(left == 0, "dispatch entries left: \(left)")
        }
    }

    /// Submits with an idempotency key, retrying while the master is down.
    static func submit(_ mesh: MasterMesh, index: Int) async throws -> String {
        let body = #"{"input": "What is an agent card? (\#(index))", "pipeline": "load"}"#
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let reply = try? await mesh.request(
                .POST, "/task", json: body, headers: ["Idempotency-Key": "load-\(index)"], timeout: .seconds(20)),
                reply.status == 202, let id = reply.json["id"] as? String
            {
                return id
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("task \(index) could not be submitted")
        throw CancellationError()
    }
}
