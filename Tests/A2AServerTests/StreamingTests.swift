import A2A
@testable import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Streaming")
struct StreamingTests {
    func message(_ text: String, _ extra: JSONObject = [:]) -> JSONValue {
        var message: JSONObject = ["messageId": .string(UUID().uuidString), "role": "ROLE_USER", "parts": [["text": .string(text)]]]
        message.merge(extra) { _, new in new }
        return ["message": .object(message)]
    }

    @Test func jsonRPCStreamStartsWithTheTaskAndEndsAtTheTerminalState() async throws {
        try await TestAgent().app.test(.router) { client in
            let body: JSONValue = ["jsonrpc": "2.0", "id": "s1", "method": "SendStreamingMessage", "params": message("chunks")]
            try await client.execute(uri: "/", method: .post, headers: a2aHeaders, body: ByteBuffer(bytes: try A2AJSON.encode(body))) {
                response in
                #expect(response.headers[.contentType] == "text/event-stream")
                let events = try sseEvents(response.body).map {
                    try #require(try A2AJSON.decode(JSONRPCResponse<StreamResponse>.self, from: $0).result)
                }
                guard case .task(let task) = events.first else { Issue.record("first event must be the task"); return }
                #expect(task.status.state == .submitted)
                let kinds = events.dropFirst().map { event -> String in
                    switch event {
                    case .statusUpdate(let update): update.status.state.rawValue
                    case .artifactUpdate(let update): "artifact:\(update.append):\(update.lastChunk)"
                    default: "other"
                    }
                }
                #expect(kinds == [
                    "TASK_STATE_WORKING", "artifact:false:false", "artifact:true:false", "artifact:true:true", "TASK_STATE_COMPLETED",
                ])
                #expect(events.allSatisfy { $0.taskId == task.id })
            }
        }
    }

    @Test func streamOfADirectReplyIsOneMessage() async throws {
        try await TestAgent().app.test(.router) { client in
            try await client.execute(uri: "/message:stream", method: .post, headers: a2aHeaders, body: ByteBuffer(bytes: try A2AJSON.encode(message("reply")))) {
                response in
                let events = try sseEvents(response.body).map { try A2AJSON.decode(StreamResponse.self, from: $0) }
                #expect(events.count == 1)
                guard case .message(let reply) = events.first else { Issue.record("expected a message"); return }
                #expect(reply.text == "direct")
            }
        }
    }

    @Test func subscribeGivesTheCurrentTaskThenItsUpdates() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("slow", configuration: ["returnImmediately": true])
            async let subscription: [StreamResponse] = client.execute(
                uri: "/tasks/\(task.id):subscribe", method: .post, headers: a2aHeaders
            ) { response in
                try sseEvents(response.body).map { try A2AJSON.decode(StreamResponse.self, from: $0) }
            }
            try await Task.sleep(for: .milliseconds(200))
            _ = try await client.rpc("CancelTask", ["id": .string(task.id)], as: A2ATask.self)
            let events = try await subscription
            guard case .task(let first) = events.first else { Issue.record("first event must be the task"); return }
            #expect(first.id == task.id)
            #expect(first.status.state == .working)
            guard case .statusUpdate(let last) = events.last else { Issue.record("last event must be a status"); return }
            #expect(last.status.state == .canceled)
        }
    }

    @Test func subscriptionToAnInterruptedTaskFollowsItToTheEnd() async throws {
        try await TestAgent().app.test(.router) { client in
            let asked = try await client.sendTask("ask")
            async let subscription: [StreamResponse] = client.execute(
                uri: "/tasks/\(asked.id):subscribe", method: .post, headers: a2aHeaders
            ) { response in
                try sseEvents(response.body).map { try A2AJSON.decode(StreamResponse.self, from: $0) }
            }
            try await Task.sleep(for: .milliseconds(200))
            let answered = try await client.sendTask("answer", extra: ["taskId": .string(asked.id)])
            #expect(answered.status.state == .completed)
            let events = try await subscription
            guard case .task(let first) = events.first, case .statusUpdate(let last) = events.last else {
                Issue.record("unexpected events \(events)")
                return
            }
            #expect(first.status.state == .inputRequired)
            #expect(last.status.state == .completed)
        }
    }

    @Test func subscribingToATerminalTaskIsAnError() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("hello")
            let response = try await client.rpc("SubscribeToTask", ["id": .string(task.id)], as: StreamResponse.self)
            #expect(response.error?.code == -32004)
            let missing = try await client.rpc("SubscribeToTask", ["id": "nope"], as: StreamResponse.self)
            #expect(missing.error?.code == -32001)
        }
    }
}
