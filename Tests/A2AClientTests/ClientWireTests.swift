import A2A
import A2AClient
import Foundation
import MeshTesting
import Testing

/// The client against a scripted loopback server: what it sends, and how it reads what comes back.
@Suite("A2AClient on the wire")
struct ClientWireTests {
    static let taskJSON = #"{"id":"t1","contextId":"c1","status":{"state":"TASK_STATE_COMPLETED"}}"#

    func client(_ server: HTTPTestServer, _ binding: ProtocolBinding, path: String = "/") throws -> A2AClient {
        try A2AClient(
            endpoint: A2AEndpoint(url: server.baseURL + path, binding: binding),
            configuration: A2AClientConfiguration(headers: [("Authorization", "Bearer secret")], timeout: .seconds(5)))
    }

    @Test func jsonRPCCallSendsVersionContentTypeAndExtraHeaders() async throws {
        try await HTTPTestServer.withServer(respond: { _ in
            .json(#"{"jsonrpc":"2.0","id":1,"result":\#(Self.taskJSON)}"#)
        }) { server in
            let task = try await client(server, .jsonRPC).getTask(GetTaskRequest(id: "t1", historyLength: 1))
            #expect(task.id == "t1")
            let request = try #require(server.requests.first)
            #expect(request.method == "POST")
            #expect(request.uri == "/")
            #expect(request.header("A2A-Version") == "1.0")
            #expect(request.header("Content-Type") == "application/json")
            #expect(request.header("Authorization") == "Bearer secret")
            #expect(request.text.contains(#""method":"GetTask""#))
        }
    }

    @Test func httpJSONCallUsesPathQueryAndMediaType() async throws {
        try await HTTPTestServer.withServer(respond: { _ in .json(Self.taskJSON, contentType: "application/a2a+json") })
        { server in
            let client = try client(server, .httpJSON, path: "/rest")
            _ = try await client.getTask(GetTaskRequest(id: "t 1", historyLength: 2))
            _ = try await client.cancelTask(CancelTaskRequest(id: "t1"))
            let requests = server.requests
            #expect(requests.map(\.method) == ["GET", "POST"])
            #expect(requests.map(\.uri) == ["/rest/tasks/t%201?historyLength=2", "/rest/tasks/t1:cancel"])
            #expect(requests.allSatisfy { $0.header("A2A-Version") == "1.0" })
            #expect(requests[1].header("Content-Type") == "application/a2a+json")
        }
    }

    @Test(arguments: [ProtocolBinding.jsonRPC, .httpJSON])
    func streamIsParsedLazilyFromChunks(binding: ProtocolBinding) async throws {
        let events = [
            #"{"task":{"id":"t1","contextId":"c1","status":{"state":"TASK_STATE_SUBMITTED"}}}"#,
            #"{"artifactUpdate":{"taskId":"t1","contextId":"c1","artifact":{"artifactId":"a","parts":[{"text":"hi"}]}}}"#,
            #"{"statusUpdate":{"taskId":"t1","contextId":"c1","status":{"state":"TASK_STATE_COMPLETED"}}}"#,
        ]
        let payloads = binding == .jsonRPC ? events.map { #"{"jsonrpc":"2.0","id":1,"result":\#($0)}"# } : events
        // Split each event mid-line and keep CRLF endings, as a proxy might.
        let body = payloads.map { ": ping\r\ndata: \($0)\r\n\r\n" }.joined()
        let chunks = stride(from: 0, to: body.count, by: 37).map {
            String(body.dropFirst($0).prefix(37))
        }
        try await HTTPTestServer.withServer(respond: { _ in .eventStream(chunks, chunkDelay: .milliseconds(2)) }) {
            server in
            let client = try client(server, binding)
            let stream = try await client.sendStreamingMessage(
                SendMessageRequest(message: Message(messageId: "m", role: .user, parts: [.text("hi")])))
            var kinds: [String] = []
            for try await event in stream {
                switch event {
                case .task(let task): kinds.append("task:\(task.status.state.rawValue)")
                case .artifactUpdate(let update): kinds.append("artifact:\(update.artifact.parts.first?.text ?? "")")
                case .statusUpdate(let update): kinds.append("status:\(update.status.state.rawValue)")
                case .message: kinds.append("message")
                }
            }
            #expect(kinds == ["task:TASK_STATE_SUBMITTED", "artifact:hi", "status:TASK_STATE_COMPLETED"])
            #expect(server.requests.first?.header("Accept") == "text/event-stream")
        }
    }

    @Test func streamAnsweredWithJSONErrorThrowsTheTypedError() async throws {
        let rpc = #"{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"Task not found"}}"#
        try await HTTPTestServer.withServer(respond: { _ in .json(rpc) }) { server in
            let error = await #expect(throws: A2AClientError.self) {
                _ = try await client(server, .jsonRPC).subscribeToTask(SubscribeToTaskRequest(id: "nope"))
            }
            #expect(error?.a2aError?.kind == .taskNotFound)
        }
        let rest =
            #"{"error":{"code":404,"status":"NOT_FOUND","message":"Task not found","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TASK_NOT_FOUND","domain":"a2a-protocol.org"}]}}"#
        try await HTTPTestServer.withServer(respond: { _ in .json(rest, status: 404) }) { server in
            let error = await #expect(throws: A2AClientError.self) {
                _ = try await client(server, .httpJSON).subscribeToTask(SubscribeToTaskRequest(id: "nope"))
            }
            #expect(error?.a2aError?.kind == .taskNotFound)
        }
    }

    @Test func errorInsideTheStreamEndsItWithTheTypedError() async throws {
        let chunks = [
            "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}}\n\n",
            "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"executor crashed\"}}\n\n",
        ]
        try await HTTPTestServer.withServer(respond: { _ in .eventStream(chunks) }) { server in
            let stream = try await client(server, .jsonRPC).subscribeToTask(SubscribeToTaskRequest(id: "t"))
            var received = 0
            let error = await #expect(throws: A2AClientError.self) {
                for try await _ in stream { received += 1 }
            }
            #expect(received == 1)
            #expect(error?.a2aError?.kind == .internalError)
            #expect(error?.a2aError?.message == "executor crashed")
        }
    }

    @Test func unreachableAgentNamesHostAndPort() async throws {
        let port = try freeLoopbackPort()
        let client = try A2AClient(endpoint: A2AEndpoint(url: "http://127.0.0.1:\(port)/", binding: .jsonRPC))
        let error = await #expect(throws: A2AClientError.self) {
            _ = try await client.getTask(GetTaskRequest(id: "t"))
        }
        guard case .transport(let host, let reportedPort, _) = error else {
            Issue.record("expected a transport error, got \(String(describing: error))")
            return
        }
        #expect(host == "127.0.0.1")
        #expect(reportedPort == port)
        #expect(error?.description.contains("127.0.0.1:\(port)") == true)

        let cardError = await #expect(throws: A2AClientError.self) {
            _ = try await A2AClient.connect(to: "http://127.0.0.1:\(port)")
        }
        #expect(cardError?.description.contains("127.0.0.1:\(port)") == true)
    }

    @Test func cardResolutionReportsWhatCameBack() async throws {
        let card =
            #"{"name":"n","description":"d","version":"1","capabilities":{},"defaultInputModes":[],"defaultOutputModes":[],"skills":[],"supportedInterfaces":[{"url":"http://127.0.0.1:1/rest","protocolBinding":"HTTP+JSON","protocolVersion":"1.0"}]}"#
        try await HTTPTestServer.withServer(respond: { request in
            switch request.uri {
            case "/good/.well-known/agent-card.json": .json(card)
            case "/html/.well-known/agent-card.json": .json("<html>hi</html>", contentType: "text/html")
            default: .json("missing", status: 404, contentType: "text/plain")
            }
        }) { server in
            let client = try await A2AClient.connect(to: server.baseURL + "/good")
            #expect(client.endpoint == A2AEndpoint(url: "http://127.0.0.1:1/rest", binding: .httpJSON))
            #expect(client.card?.name == "n")
            #expect(server.requests.first?.header("A2A-Version") == "1.0")

            let html = await #expect(throws: A2AClientError.self) {
                _ = try await A2AClient.connect(to: server.baseURL + "/html")
            }
            guard case .invalidAgentCard = html else {
                Issue.record("expected invalidAgentCard, got \(String(describing: html))")
                return
            }
            let missing = await #expect(throws: A2AClientError.self) {
                _ = try await A2AClient.connect(to: server.baseURL + "/none")
            }
            guard case .httpStatus(404, _, "missing") = missing else {
                Issue.record("expected httpStatus 404, got \(String(describing: missing))")
                return
            }
        }
    }
}
