import A2A
import Foundation
import MeshAgents
import MeshTesting
import Synchronization
import Testing

/// What one run of the `mesh` binary produced.
struct MeshRun: Sendable {
    /// The exit code (or 255 when it did not exit by itself).
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the `mesh` binary to its end, with `MASTER_URL` cleared unless `environment` sets it.
func runMesh(
    _ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)
) async throws -> MeshRun {
    let process = try ManagedProcess.launch(
        name: "mesh-\(arguments.first ?? "cli")", executable: try TestEnvironment.meshBinary(), arguments: arguments,
        environment: ["MASTER_URL": ""].merging(environment) { _, new in new })
    defer { process.removeLogs() }
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now > deadline {
            await process.terminate(grace: .milliseconds(100))
            break
        }
        try? await Task.sleep(for: .milliseconds(10))
    }
    let raw = process.exitCode ?? -1
    let status = raw & 0x7f == 0 ? raw >> 8 & 0xff : 255
    return MeshRun(status: status, stdout: process.standardOutput(), stderr: process.standardError())
}

/// A value shared with a fake server's responder.
final class SharedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    /// Changes the value and returns the new one.
    func update(_ change: @Sendable (inout Value) -> Void) -> Value {
        storage.withLock { value in
            change(&value)
            return value
        }
    }
}

/// One SSE event as the master writes it.
func masterEvent(_ id: Int, _ type: String, _ fields: String) -> String {
    "id: \(id)\nevent: \(type)\ndata: {\"type\":\"\(type)\",\"taskId\":\"t-2\",\(fields)}\n\n"
}

@Suite("mesh task, result, status and dlq against a fake master")
struct MasterCLITests {
    static let receipt = """
        {"id":"t-1","state":"queued","skill":"retrieve","contextId":"c-9","links":{"self":"/task/t-1",\
        "events":"/task/t-1/events","result":"/result/t-1","cancel":"/task/t-1/cancel"}}
        """

    @Test func submitPrintsTheIdThenTheLinks() async throws {
        try await HTTPTestServer.withServer(respond: { _ in .json(Self.receipt, status: 202) }) { server in
            let run = try await runMesh([
                "task", "What is an agent card?", "--skill", "retrieve", "--context-id", "c-9",
                "--idempotency-key", "k-1", "--master", server.baseURL,
            ])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.split(separator: "\n").first == "t-1")
            #expect(run.stdout.contains("state   queued, skill retrieve, context c-9"))
            #expect(run.stdout.contains("result  \(server.baseURL)/result/t-1"))
            #expect(run.stdout.contains("events  \(server.baseURL)/task/t-1/events"))
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/task")
            #expect(request.header("Idempotency-Key") == "k-1")
            let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
            #expect(body["input"] as? String == "What is an agent card?")
            #expect(body["skill"] as? String == "retrieve")
            #expect(body["contextId"] as? String == "c-9")
            #expect(body["pipeline"] == nil)
        }
    }

    @Test func followShowsEachStepResumesAfterADropAndPrintsTheMarkdown() async throws {
        let eventCalls = SharedValue(0)
        let firstPart = [
            masterEvent(1, "queued", #""state":"queued","progress":0"#),
            masterEvent(
                2, "step-started",
                #""state":"running","skill":"plan","agent":"worker-a","attempt":1,"round":1,"progress":0.1"#),
        ]
        let rest = [
            masterEvent(
                3, "step-completed",
                #""state":"running","skill":"plan","agent":"worker-a","attempt":1,"round":1,"progress":0.5"#),
            masterEvent(
                4, "step-failed",
                #""state":"running","skill":"finalize","agent":"worker-d","attempt":1,"message":"connection refused","progress":0.5"#
            ),
            masterEvent(5, "retry", #""state":"running","skill":"finalize","attempt":2,"progress":0.5"#),
            masterEvent(
                6, "step-completed",
                #""state":"running","skill":"finalize","agent":"worker-d","attempt":2,"score":0.82,"progress":1"#),
            masterEvent(7, "completed", #""state":"completed","progress":1"#),
        ]
        let markdown = "# Agent cards\n\nAn agent card describes an agent.\n"
        let respond: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            switch (request.method, request.uri) {
            case ("POST", "/task"):
                return .json(#"{"id":"t-2","state":"queued","pipeline":"default","contextId":"c-1"}"#, status: 202)
            case ("GET", "/task/t-2/events"):
                let call = eventCalls.update { $0 += 1 }
                return .eventStream(call == 1 ? firstPart : rest)
            case ("GET", let uri) where uri.hasPrefix("/result/t-2"):
                guard eventCalls.value >= 2 else {
                    return .json(#"{"id":"t-2","state":"running","message":"step 1 of 2"}"#, status: 202)
                }
                let artifact: JSONValue = .object([
                    "artifactId": .string("a-1"), "name": .string("Agent cards"),
                    "parts": .array([.object(["text": .string(markdown), "mediaType": .string("text/markdown")])]),
                ])
                let body = JSONValue.object([
                    "id": .string("t-2"), "state": .string("completed"), "artifacts": .array([artifact]),
                ])
                return .json(String(decoding: try! JSONEncoder().encode(body), as: UTF8.self))
            default:
                return .json(#"{"error":{"code":"not_found","message":"no route"}}"#, status: 404)
            }
        }
        try await HTTPTestServer.withServer(respond: respond) { server in
            let run = try await runMesh(["task", "Explain agent cards", "--follow", "--master", server.baseURL])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == markdown)
            #expect(run.stderr.contains("task t-2 queued"))
            #expect(run.stderr.contains("[ 10%] step-started plan (agent worker-a, attempt 1, round 1)"))
            #expect(
                run.stderr.contains("event stream lost (the stream ended before the task did); resuming after event 2"))
            #expect(run.stderr.contains("[ 50%] step-completed plan (agent worker-a, attempt 1, round 1)"))
            #expect(run.stderr.contains("[ 50%] step-failed finalize (agent worker-d, attempt 1): connection refused"))
            #expect(run.stderr.contains("[ 50%] retry finalize (attempt 2)"))
            #expect(run.stderr.contains("[100%] step-completed finalize (agent worker-d, attempt 2, score 0.82)"))
            #expect(run.stderr.contains("[100%] completed"))
            let streams = server.requests.filter { $0.uri == "/task/t-2/events" }
            #expect(streams.count == 2)
            #expect(streams.first?.header("Last-Event-ID") == nil)
            #expect(streams.last?.header("Last-Event-ID") == "2")
            #expect(streams.last?.header("Accept") == "text/event-stream")
        }
    }

    @Test func followOfAFailedTaskPrintsTheErrorAndExits1() async throws {
        let respond: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            switch (request.method, request.uri) {
            case ("POST", "/task"): .json(#"{"id":"t-3","state":"queued"}"#, status: 202)
            case ("GET", "/task/t-3/events"):
                .eventStream([
                    "id: 1\nevent: dead-lettered\ndata: {\"type\":\"dead-lettered\",\"skill\":\"finalize\",\"progress\":0.75}\n\n",
                    "id: 2\nevent: failed\ndata: {\"type\":\"failed\",\"state\":\"failed\",\"progress\":0.75}\n\n",
                ])
            default:
                .json(
                    #"{"id":"t-3","state":"failed","artifacts":[],"error":{"code":"step_failed","message":"finalize failed after 3 attempts"}}"#
                )
            }
        }
        try await HTTPTestServer.withServer(respond: respond) { server in
            let run = try await runMesh(["task", "x", "--follow", "--master", server.baseURL])
            #expect(run.status == 1)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.contains("[ 75%] dead-lettered finalize"))
            #expect(run.stderr.contains("mesh task: task t-3 failed: step_failed: finalize failed after 3 attempts"))

            let json = try await runMesh(["task", "x", "--follow", "--json", "--master", server.baseURL])
            #expect(json.status == 1)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["state"] as? String == "failed")
        }
    }

    @Test func aRejectedRequestPrintsTheMastersMessage() async throws {
        let body = #"{"error":{"code":"bad_request","message":"pipeline 'nope' does not exist"}}"#
        try await HTTPTestServer.withServer(respond: { _ in .json(body, status: 400) }) { server in
            let run = try await runMesh(["task", "x", "--pipeline", "nope", "--master", server.baseURL])
            #expect(run.status == 1)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr == "mesh task: the master answered 400 bad_request: pipeline 'nope' does not exist\n")
        }
        let both = try await runMesh(["task", "x", "--pipeline", "p", "--skill", "s"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("--pipeline and --skill exclude each other"))
    }

    @Test func anUnreachableMasterIsNamedWithAHint() async throws {
        let port = try freeLoopbackPort()
        let url = "http://127.0.0.1:\(port)"
        for arguments in [["task", "x"], ["status"], ["result", "t-1"], ["dlq"], ["dlq", "replay", "t-1"]] {
            let run = try await runMesh(arguments, environment: ["MASTER_URL": url])
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(run.stderr.contains("cannot reach the master at \(url) (connection refused)"), "\(run.stderr)")
            #expect(run.stderr.contains("`mesh up`"))
        }
        let bad = try await runMesh(["status", "--master", "localhost:8000"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--master 'localhost:8000' is not a URL"))
    }

    @Test func resultWaitsAndTellsARunningTaskApart() async throws {
        let respond: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            if request.uri.hasPrefix("/result/t-run") {
                return .json(#"{"id":"t-run","state":"running","message":"step 2 of 4"}"#, status: 202)
            }
            if request.uri.hasPrefix("/result/t-done") {
                return .json(
                    #"{"id":"t-done","state":"completed","artifacts":[{"artifactId":"a","parts":[{"text":"done"},{"data":{"score":0.9}}]}]}"#
                )
            }
            return .json(#"{"error":{"code":"not_found","message":"no task t-x"}}"#, status: 404)
        }
        try await HTTPTestServer.withServer(respond: respond) { server in
            let running = try await runMesh(["result", "t-run", "--wait", "5", "--master", server.baseURL])
            #expect(running.status == 2)
            #expect(running.stderr.contains("task t-run is still running: step 2 of 4"))
            #expect(server.requests.last?.uri == "/result/t-run?wait=5")

            let done = try await runMesh(["result", "t-done", "--master", server.baseURL])
            #expect(done.status == 0, "\(done.stderr)")
            #expect(done.stdout.hasPrefix("done\n{\n"))
            #expect(done.stdout.contains("\"score\" : 0.9"))

            let json = try await runMesh(["result", "t-done", "--json", "--master", server.baseURL])
            #expect(json.status == 0)
            #expect(json.stdout.contains("\"state\" : \"completed\""))

            let missing = try await runMesh(["result", "t-x", "--master", server.baseURL])
            #expect(missing.status == 1)
            #expect(missing.stderr == "mesh result: the master answered 404 not_found: no task t-x\n")
        }
    }

    @Test func statusAndDeadLettersAreTables() async throws {
        let respond: @Sendable (RecordedRequest) -> ScriptedResponse = { request in
            switch (request.method, request.uri) {
            case ("GET", "/status"):
                .json(
                    """
                    {"agents":[{"name":"worker-a","url":"http://127.0.0.1:5001","health":"healthy","skills":["plan"],"inFlight":2},\
                    {"name":"worker-b","url":"http://127.0.0.1:5002","health":"down","skills":["retrieve"],"inFlight":0}],\
                    "queue":{"length":3,"pending":1},"dlq":1,"running":2}
                    """)
            case ("GET", "/dlq"):
                .json(
                    """
                    {"size":1,"entries":[{"id":"1-0","taskId":"t-9","reason":"finalize failed after 3 attempts",\
                    "skill":"finalize","attempts":3,"failedAt":"2026-11-21T15:00:00Z","history":[]}]}
                    """)
            case ("POST", "/dlq/t-9/replay"):
                .json(#"{"id":"t-9","state":"queued","links":{"self":"/task/t-9"}}"#, status: 202)
            case ("POST", "/task/t-9/cancel"):
                .json(#"{"error":{"code":"conflict","message":"task t-9 already completed"}}"#, status: 409)
            default:
                .json(
                    #"{"error":{"code":"not_found","message":"task t-0 is not in the dead-letter queue"}}"#, status: 404
                )
            }
        }
        try await HTTPTestServer.withServer(respond: respond) { server in
            let status = try await runMesh(["status"], environment: ["MASTER_URL": server.baseURL + "/"])
            #expect(status.status == 0, "\(status.stderr)")
            let lines = status.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "AGENT     HEALTH   IN-FLIGHT  SKILLS    URL")
            #expect(lines.dropFirst().first == "worker-a  healthy  2          plan      http://127.0.0.1:5001")
            #expect(status.stdout.contains("queue 3 (pending 1), running 2, dead letters 1"))

            let dlq = try await runMesh(["dlq", "--master", server.baseURL])
            #expect(dlq.status == 0, "\(dlq.stderr)")
            #expect(dlq.stdout.contains("TASK  SKILL     ATTEMPTS  FAILED AT             REASON"))
            #expect(
                dlq.stdout.contains("t-9   finalize  3         2026-11-21T15:00:00Z  finalize failed after 3 attempts"))

            let replay = try await runMesh(["dlq", "replay", "t-9", "--master", server.baseURL])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(replay.stdout.hasPrefix("t-9\n  state   queued\n  self    \(server.baseURL)/task/t-9"))

            let unknown = try await runMesh(["dlq", "replay", "t-0", "--master", server.baseURL])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("task t-0 is not in the dead-letter queue"))

            let cancel = try await runMesh(["cancel", "t-9", "--master", server.baseURL])
            #expect(cancel.status == 1)
            #expect(cancel.stderr == "mesh cancel: the master answered 409 conflict: task t-9 already completed\n")
        }
    }
}
