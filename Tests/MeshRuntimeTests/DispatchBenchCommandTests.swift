import A2A
import Foundation
import MeshAgents
import MeshTesting
import Synchronization
import Testing

@Suite("mesh bench dispatch against a fake master and a fake worker")
struct DispatchBenchCommandTests {
    /// A JSON-RPC SendMessage answer holding a completed task.
    static let completedTask = """
        {"jsonrpc":"2.0","id":1,"result":{"task":{"id":"w-1","contextId":"c-1",\
        "status":{"state":"TASK_STATE_COMPLETED"}}}}
        """

    /// A worker that completes every SendMessage and serves a card whose JSON-RPC interface is itself.
    static func worker(_ request: RecordedRequest, base: @Sendable () -> String) -> ScriptedResponse {
        if request.uri == "/.well-known/agent-card.json" {
            var card = ConformanceAgent.card
            card.supportedInterfaces = [AgentInterface(url: base() + "/", protocolBinding: "JSONRPC")]
            return .json(String(decoding: try! A2AJSON.encode(card), as: UTF8.self))
        }
        return .json(completedTask)
    }

    /// A master that completes every task and dispatched message at once and lists the worker in `/status`.
    static func master(_ request: RecordedRequest, workerURL: String, counter: SharedValue<Int>) -> ScriptedResponse {
        switch (request.method, request.uri) {
        case ("POST", "/task"):
            let id = counter.update { $0 += 1 }
            return .json(#"{"id":"b-\#(id)","state":"queued"}"#, status: 202)
        case ("POST", "/dispatch"):
            return .json(#"{"task":{"id":"w-2","contextId":"c-2","status":{"state":"TASK_STATE_COMPLETED"}}}"#)
        case ("GET", "/status"):
            return .json(
                #"{"agents":[{"name":"bench-worker","url":"\#(workerURL)","health":"healthy","skills":["finalize"],"inFlight":0}],"queue":{"length":0,"pending":0},"dlq":0,"running":0}"#
            )
        default:
            return .json(#"{"id":"b","state":"completed","artifacts":[]}"#)
        }
    }

    @Test func measuresEveryPathAndFindsTheWorkerThroughTheMaster() async throws {
        let workerBase = SharedValue("")
        let output: String = try await HTTPTestServer.withServer(respond: { request in
            Self.worker(request, base: { workerBase.value })
        }) { worker in
            workerBase.value = worker.baseURL
            let counter = SharedValue(0)
            return try await HTTPTestServer.withServer(respond: { request in
                Self.master(request, workerURL: worker.baseURL, counter: counter)
            }) { master in
                let run = try await runMesh([
                    "bench", "dispatch", "--master", master.baseURL, "--tasks", "60", "--warmup", "6",
                    "--concurrency", "3", "--json",
                ])
                #expect(run.status == 0, "\(run.stderr)")
                let submitted = master.requests.filter { $0.uri == "/task" }
                #expect(submitted.count == 66)
                let first = try #require(submitted.first)
                let body = try #require(try JSONSerialization.jsonObject(with: first.body) as? [String: String])
                #expect(body["skill"] == "finalize")
                #expect(master.requests.contains { $0.uri == "/result/b-1?wait=30" })
                #expect(worker.requests.filter { $0.method == "POST" }.count == 66)
                #expect(worker.requests.last?.header("A2A-Version") == A2AProtocol.version)
                let dispatched = master.requests.filter { $0.uri == "/dispatch" }
                #expect(dispatched.count == 66)
                let firstDispatch = try #require(dispatched.first)
                let sent = try #require(
                    try JSONSerialization.jsonObject(with: firstDispatch.body) as? [String: Any])
                #expect(sent["skill"] as? String == "finalize")
                #expect((sent["message"] as? [String: Any])?["role"] as? String == "ROLE_USER")
                let messageIDs = Set(
                    dispatched.compactMap {
                        ((try? JSONSerialization.jsonObject(with: $0.body)) as? [String: Any]).flatMap {
                            ($0["message"] as? [String: Any])?["messageId"] as? String
                        }
                    })
                #expect(messageIDs.count == 66, "every dispatched message has its own id")
                return run.stdout
            }
        }
        let report = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let direct = try #require(report["direct"] as? [String: Any])
        let viaMaster = try #require(report["viaMaster"] as? [String: Any])
        #expect(direct["tasks"] as? Int == 60)
        #expect(viaMaster["tasks"] as? Int == 60)
        #expect(direct["failed"] as? Int == 0)
        #expect(viaMaster["errors"] as? Int == 0)
        let routed = try #require(report["routed"] as? [String: Any])
        #expect(routed["tasks"] as? Int == 60)
        #expect(routed["failed"] as? Int == 0 && routed["errors"] as? Int == 0)
        #expect((viaMaster["p50Ms"] as? Double ?? 0) > 0)
        #expect(report["concurrency"] as? Int == 3)
        #expect(report["spawned"] as? Bool == false)
        #expect((report["worker"] as? String)?.hasPrefix("http://127.0.0.1:") == true)
    }

    @Test func aMasterWithoutTheSkillIsAClearError() async throws {
        let counter = SharedValue(0)
        try await HTTPTestServer.withServer(respond: { request in
            Self.master(request, workerURL: "http://127.0.0.1:1", counter: counter)
        }) { master in
            let run = try await runMesh(["bench", "dispatch", "--master", master.baseURL, "--skill", "plan"])
            #expect(run.status == 1)
            #expect(run.stderr.contains("lists no healthy agent with skill plan"), "\(run.stderr)")
        }
        let invalid = try await runMesh(["bench", "dispatch", "--skill", "plan"])
        #expect(invalid.status == 64)
        #expect(invalid.stderr.contains("use --master for other skills"))
    }
}
