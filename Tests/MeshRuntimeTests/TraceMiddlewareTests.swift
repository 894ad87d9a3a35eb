import A2A
import A2AClient
import A2AServer
import Foundation
import Hummingbird
import MeshAgents
import MeshRuntime
import MeshTracing
import NIOCore
import Synchronization
import Testing

/// Every agent host continues the caller's W3C trace: in the response, in the work a request starts (also when it
/// runs in the background after the answer), in streamed bodies, and in the metadata of the tasks it creates.
@Suite("TraceMiddleware", .timeLimit(.minutes(1)))
struct TraceMiddlewareTests {
    static let parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"

    @Test func theResponseCarriesTheCallersTraceWithTheServersSpan() async throws {
        try await withRunningHost(makeTraceHost().host) { base in
            let reply = try await rawRequest(
                base + "/ping", headers: [("traceparent", Self.parent), ("tracestate", "rojo=00f067aa0ba902b7")])
            #expect(reply.status == 200)
            let returned = try #require(reply.header("traceparent"))
            #expect(MeshTrace.traceID(ofTraceParent: returned) == Self.traceID)
            #expect(returned != Self.parent, "the server's span is a new one")
            #expect(reply.header("tracestate") == "rojo=00f067aa0ba902b7")
        }
    }

    @Test func aRequestWithoutOrWithAnInvalidTraceParentStartsANewTrace() async throws {
        try await withRunningHost(makeTraceHost().host) { base in
            let plain = try await rawRequest(base + "/ping")
            let invalid = try await rawRequest(
                base + "/ping", headers: [("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01")])
            let ids = [plain, invalid].map { $0.header("traceparent").flatMap(MeshTrace.traceID(ofTraceParent:)) }
            #expect(ids.allSatisfy { $0 != nil && $0 != Self.traceID }, "\(ids)")
            #expect(ids[0] != ids[1])
            #expect(plain.header("tracestate") == nil)
        }
    }

    @Test func errorAnswersCarryTheTraceToo() async throws {
        try await withRunningHost(makeTraceHost().host) { base in
            let missing = try await rawRequest(base + "/no-such-route", headers: [("traceparent", Self.parent)])
            #expect(missing.status == 404)
            #expect(missing.header("traceparent").flatMap(MeshTrace.traceID(ofTraceParent:)) == Self.traceID)
        }
    }

    @Test func aStreamedBodyIsWrittenInsideTheRequestsTrace() async throws {
        try await withRunningHost(makeTraceHost().host) { base in
            let reply = try await rawRequest(base + "/trace-stream", headers: [("traceparent", Self.parent)])
            #expect(reply.status == 200)
            #expect(String(decoding: reply.body, as: UTF8.self) == "trace: \(Self.traceID)")
        }
    }

    /// Blocking sends run the executor in the request; non-blocking and streaming ones in the runner, after the
    /// request may have ended: all three see the caller's trace, and the task's metadata names it.
    @Test(arguments: ["blocking", "returnImmediately", "streaming"])
    func theExecutorRunsInTheCallersTraceAndTheTaskRecordsIt(_ mode: String) async throws {
        let (host, seen) = makeTraceHost()
        try await withRunningHost(host) { base in
            let caller = try #require(MeshTrace.parse(Self.parent))
            let client = try await A2AClient.connect(to: base)
            let message = Message(
                messageId: UUID().uuidString, role: .user, parts: [.text("hi")])
            let task: A2ATask = try await MeshTrace.withContext(caller) {
                switch mode {
                case "streaming":
                    var first: A2ATask?
                    for try await event in try await client.sendStreamingMessage(SendMessageRequest(message: message)) {
                        if case .task(let task) = event, first == nil { first = task }
                    }
                    return try #require(first)
                default:
                    let configuration = SendMessageConfiguration(returnImmediately: mode == "returnImmediately")
                    let response = try await client.sendMessage(
                        SendMessageRequest(message: message, configuration: configuration, metadata: ["keep": "me"]))
                    guard case .task(let task) = response else { throw A2AError(.internalError, "no task") }
                    #expect(task.metadata?["keep"] == "me", "the caller's metadata stays")
                    return task
                }
            }
            #expect(task.metadata?[A2ARequestHandler.traceIDMetadataKey] == .string(Self.traceID))
            let recorded = try await waitFor { seen.traceID(of: task.id) }
            #expect(recorded == Self.traceID)
            // The stored task keeps it.
            let stored = try await client.getTask(GetTaskRequest(id: task.id))
            #expect(stored.metadata?[A2ARequestHandler.traceIDMetadataKey] == .string(Self.traceID))
        }
    }

    @Test func aTaskCreatedWithoutATraceParentRecordsTheTraceTheHostStarted() async throws {
        let (host, seen) = makeTraceHost()
        try await withRunningHost(host) { base in
            let body = #"""
                {"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m-\#(UUID().uuidString)","role":"ROLE_USER","parts":[{"text":"hi"}]}}}
                """#
            let reply = try await rawRequest(
                base + "/", method: .POST, headers: [("Content-Type", "application/json"), ("A2A-Version", "1.0")],
                body: .bytes(ByteBuffer(string: body)))
            let traceID = try #require(reply.header("traceparent").flatMap(MeshTrace.traceID(ofTraceParent:)))
            let result = try #require(
                reply.json?["result"] as? [String: Any], "\(String(decoding: reply.body, as: UTF8.self))")
            let task = try #require(result["task"] as? [String: Any])
            #expect((task["metadata"] as? [String: Any])?["traceId"] as? String == traceID)
            let id = try #require(task["id"] as? String)
            #expect(try await waitFor { seen.traceID(of: id) } == traceID)
        }
    }

    /// A host whose executor records the trace id it runs in, per task, and a route that streams its trace id.
    func makeTraceHost() -> (host: AgentHost, seen: TraceLog) {
        let seen = TraceLog()
        let configuration = AgentHostConfiguration(name: "trace-test", port: 0, logLevel: .critical)
        let host = buildAgentHost(
            card: ConformanceAgent.card, executor: TraceRecordingExecutor(seen: seen), configuration: configuration,
            extraRoutes: { router in
                router.get("/trace-stream") { _, _ in
                    Response(
                        status: .ok,
                        body: ResponseBody { writer in
                            try await writer.write(ByteBuffer(string: "trace: \(MeshTrace.traceID ?? "none")"))
                            try await writer.finish(nil)
                        })
                }
            })
        return (host, seen)
    }

    /// The value `read` returns once it is not nil, within 5 s.
    func waitFor<Value: Sendable>(_ read: @Sendable () -> Value?) async throws -> Value? {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let value = read() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

/// Trace ids by task id, as the executor saw them.
final class TraceLog: Sendable {
    private let values = Mutex<[String: String]>([:])

    func record(_ traceID: String, task: String) { values.withLock { $0[task] = traceID } }
    func traceID(of task: String) -> String? { values.withLock { $0[task] } }
}

/// Completes every task after noting the trace it ran in.
struct TraceRecordingExecutor: AgentExecutor {
    let seen: TraceLog

    nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        try await updater.startWork()
        // Later than the answer of a non-blocking send.
        try await Task.sleep(for: .milliseconds(50))
        let traceID = MeshTrace.traceID ?? "none"
        seen.record(traceID, task: request.taskId)
        try await updater.complete()
    }
}
