import A2A
import Foundation
import Testing

/// Every file of the reference SDK's recorded traffic decodes with the model.
@Suite("Wire examples of the reference SDK")
struct WireExampleTests {
    static let directory: URL = {
        if let path = ProcessInfo.processInfo.environment["A2A_SPECS_DIR"] {
            return URL(fileURLWithPath: path).appendingPathComponent("a2a-wire-examples")
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/specs/a2a-wire-examples")
    }()

    static func load(_ name: String) throws -> Data {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            Issue.record("missing wire example \(url.path); set A2A_SPECS_DIR to the specs folder")
            throw CocoaError(.fileNoSuchFile)
        }
        return data
    }

    /// The `data:` payloads of an SSE capture.
    static func events(_ name: String) throws -> [Data] {
        let text = String(decoding: try load(name), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("data: ") }.map { Data($0.dropFirst(6).utf8) }
    }

    /// The body of an HTTP capture.
    static func httpBody(_ name: String) throws -> (status: Int, body: Data) {
        let text = String(decoding: try load(name), as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n").count > 1
            ? text.components(separatedBy: "\r\n\r\n") : text.components(separatedBy: "\n\n")
        let status = Int(parts[0].split(separator: " ")[1]) ?? 0
        return (status, Data(parts.dropFirst().joined(separator: "\n\n").utf8))
    }

    @Test func everyFileIsCovered() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
        let covered: Set<String> = [
            "agent_card.http", "jsonrpc_parse_error.json", "nohdr_new_method_name.json", "v03_jsonrpc_message_stream.sse",
            "v03_jsonrpc_tasks_get_notfound.json", "v1_jsonrpc_GetExtendedAgentCard.json", "v1_jsonrpc_GetTask_notfound.json",
            "v1_jsonrpc_ListTasks.json", "v1_jsonrpc_SendStreamingMessage.sse", "v1_jsonrpc_method_not_found.json",
            "v1_jsonrpc_old_method_name.json", "v1_jsonrpc_push_not_supported.json", "v1_jsonrpc_version_not_supported.json",
            "v1_rest_get_task_notfound.http", "v1_rest_message_send.json", "v1_rest_message_stream.sse",
            "v1hdr_old_method_name.json",
        ]
        #expect(Set(names) == covered, "a new wire example needs a decoding test")
    }

    @Test func agentCard() throws {
        let (status, body) = try Self.httpBody("agent_card.http")
        #expect(status == 200)
        let card = try A2AJSON.decode(AgentCard.self, from: body)
        #expect(card.name == "Echo Agent")
        #expect(card.capabilities.streaming == true)
        #expect(card.skills.map(\.id) == ["echo"])
        #expect(card.interface(binding: .jsonRPC)?.url == "http://127.0.0.1:9999")
        #expect(card.interface(binding: .httpJSON)?.url == "http://127.0.0.1:9999/rest")
        #expect(card.interface(binding: .jsonRPC)?.protocolVersion == "1.0")
    }

    @Test(arguments: [
        ("v1_jsonrpc_GetTask_notfound.json", A2AError.Kind.taskNotFound),
        ("v1_jsonrpc_GetExtendedAgentCard.json", .unsupportedOperation),
        ("v1_jsonrpc_push_not_supported.json", .pushNotificationNotSupported),
        ("v1_jsonrpc_version_not_supported.json", .versionNotSupported),
        ("nohdr_new_method_name.json", .versionNotSupported),
        ("v1_jsonrpc_method_not_found.json", .methodNotFound),
        ("jsonrpc_parse_error.json", .parseError),
        ("v1_jsonrpc_old_method_name.json", .invalidRequest),
        ("v1hdr_old_method_name.json", .invalidRequest),
        ("v03_jsonrpc_tasks_get_notfound.json", .taskNotFound),
    ])
    func jsonRPCErrors(file: String, kind: A2AError.Kind) throws {
        let response = try A2AJSON.decode(JSONRPCResponse<A2ATask>.self, from: try Self.load(file))
        let error = try #require(response.error)
        #expect(response.result == nil)
        #expect(error.code == kind.code)
        #expect(error.a2aError.kind == kind)
        if let reason = kind.reason, case .array = error.data {
            let info = error.a2aError.details.first?.objectValue
            #expect(info?["reason"]?.stringValue == reason)
            #expect(info?["domain"]?.stringValue == "a2a-protocol.org")
        }
    }

    @Test func listTasks() throws {
        let response = try A2AJSON.decode(JSONRPCResponse<ListTasksResponse>.self, from: try Self.load("v1_jsonrpc_ListTasks.json"))
        let page = try #require(response.result)
        #expect(page.tasks.count == 2)
        #expect(page.pageSize == 2)
        #expect(page.totalSize == 4)
        #expect(!page.nextPageToken.isEmpty)
        let first = page.tasks[0]
        #expect(first.status.state == .completed)
        #expect(first.status.message?.role == .agent)
        // ProtoJSON defaults ("" filename and mediaType) read as absent.
        #expect(first.history?.first?.parts.first == .text("hi stream"))
        #expect(first.status.timestamp != nil)
    }

    @Test func jsonRPCStream() throws {
        let events = try Self.events("v1_jsonrpc_SendStreamingMessage.sse").map {
            try #require(try A2AJSON.decode(JSONRPCResponse<StreamResponse>.self, from: $0).result)
        }
        #expect(events.count == 4)
        guard case .task(let task) = events[0] else { Issue.record("first event must be the task"); return }
        #expect(task.status.state == .submitted)
        guard case .statusUpdate(let working) = events[1], case .artifactUpdate(let artifact) = events[2],
            case .statusUpdate(let done) = events[3]
        else { Issue.record("unexpected event order \(events)"); return }
        #expect(working.status.state == .working)
        #expect(artifact.lastChunk)
        #expect(artifact.artifact.parts == [.text("hi stream")])
        #expect(done.status.state == .completed)
        #expect(events.last?.endsStream == true)
    }

    @Test func restSendAndStream() throws {
        let sent = try A2AJSON.decode(SendMessageResponse.self, from: try Self.load("v1_rest_message_send.json"))
        guard case .task(let task) = sent else { Issue.record("expected a task"); return }
        #expect(task.artifacts?.first?.parts == [.text("rest hi")])
        let events = try Self.events("v1_rest_message_stream.sse").map { try A2AJSON.decode(StreamResponse.self, from: $0) }
        #expect(events.map(\.taskId) == Array(repeating: task.id == "" ? nil : events[0].taskId, count: 4))
        #expect(events.count == 4)
    }

    @Test func restErrorBody() throws {
        let (status, body) = try Self.httpBody("v1_rest_get_task_notfound.http")
        #expect(status == 404)
        let error = try A2AJSON.decode(HTTPErrorBody.self, from: body)
        #expect(error.error.code == 404)
        #expect(error.a2aError.kind == .taskNotFound)
    }

    @Test func version03StreamIsNotMistakenForVersion1() throws {
        for data in try Self.events("v03_jsonrpc_message_stream.sse") {
            let envelope = try A2AJSON.decode(JSONRPCResponse<JSONValue>.self, from: data)
            #expect(envelope.result?.objectValue?["kind"] != nil)
            #expect(throws: DecodingError.self) { try A2AJSON.decode(JSONRPCResponse<StreamResponse>.self, from: data) }
        }
    }
}
