import A2A
@testable import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("JSON-RPC binding")
struct JSONRPCBindingTests {
    @Test func sendMessageBlocksUntilTheTaskCompletes() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("hello")
            #expect(task.status.state == .completed)
            #expect(task.artifacts?.first?.parts == [.text("hello")])
            #expect(task.history?.first?.role == .user)
            #expect(task.history?.first?.taskId == task.id)
            #expect(task.status.message?.text == "done")
            #expect(!task.contextId.isEmpty)
        }
    }

    @Test func returnImmediatelyAnswersBeforeTheTaskEnds() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("slow", configuration: ["returnImmediately": true])
            #expect(!task.status.state.isTerminal)
            let canceled = try await client.rpc("CancelTask", ["id": .string(task.id)], as: A2ATask.self)
            #expect(canceled.result?.status.state == .canceled)
        }
    }

    @Test func cancelReachesABlockingSend() async throws {
        try await TestAgent().app.test(.router) { client in
            async let blocked = client.sendTask("slow")
            var running: A2ATask?
            for _ in 0..<100 where running == nil {
                try await Task.sleep(for: .milliseconds(20))
                let list = try await client.rpc("ListTasks", ["status": "TASK_STATE_WORKING"], as: ListTasksResponse.self)
                running = list.result?.tasks.first
            }
            let id = try #require(running?.id)
            let canceled = try await client.rpc("CancelTask", ["id": .string(id)], as: A2ATask.self)
            #expect(canceled.result?.status.state == .canceled)
            let answered = try await blocked
            #expect(answered.id == id)
            #expect(answered.status.state == .canceled)
        }
    }

    @Test func badWebhookInSendConfigurationIsRefused() async throws {
        try await TestAgent().app.test(.router) { client in
            let response = try await client.send("x", configuration: ["taskPushNotificationConfig": ["url": "ftp://x"]])
            #expect(response.error?.code == -32602)
            #expect(response.error?.message.contains("taskPushNotificationConfig.url") == true)
        }
    }

    @Test func directMessageReplyLeavesNoTask() async throws {
        try await TestAgent().app.test(.router) { client in
            let response = try await client.send("reply")
            guard case .message(let message) = response.result else { Issue.record("expected a message"); return }
            #expect(message.role == .agent)
            #expect(message.text == "direct")
            let list = try await client.rpc("ListTasks", [:], as: ListTasksResponse.self)
            #expect(list.result?.tasks.isEmpty == true)
        }
    }

    @Test func versionHeaderIsRequired() async throws {
        try await TestAgent().app.test(.router) { client in
            let missing = try await client.rpc("GetTask", ["id": "x"], as: A2ATask.self, headers: [.contentType: "application/json"])
            #expect(missing.error?.code == -32009)
            #expect(missing.error?.message.contains("'0.3'") == true)
            #expect(missing.error?.message.contains("1.0") == true)
            var headers = a2aHeaders
            headers[HTTPField.Name("A2A-Version")!] = "9.9"
            let wrong = try await client.rpc("GetTask", ["id": "x"], as: A2ATask.self, headers: headers)
            #expect(wrong.error?.code == -32009)
            #expect(wrong.error?.a2aError.kind.reason == "VERSION_NOT_SUPPORTED")
        }
    }

    @Test func malformedRequestsGetTheSpecCodes() async throws {
        try await TestAgent().app.test(.router) { client in
            func raw(_ body: String) async throws -> JSONRPCErrorObject? {
                try await client.execute(uri: "/", method: .post, headers: a2aHeaders, body: ByteBuffer(string: body)) {
                    try A2AJSON.decode(JSONRPCResponse<EmptyResponse>.self, from: Data(buffer: $0.body)).error
                }
            }
            #expect(try await raw("{not json")?.code == -32700)
            #expect(try await raw(#"{"jsonrpc":"1.0","id":1,"method":"GetTask"}"#)?.code == -32600)
            #expect(try await raw(#"[{"jsonrpc":"2.0","id":1,"method":"GetTask"}]"#)?.code == -32600)
            let unknown = try await raw(#"{"jsonrpc":"2.0","id":1,"method":"DoThings"}"#)
            #expect(unknown?.code == -32601)
            #expect(unknown?.message.contains("DoThings") == true)
            let legacy = try await raw(#"{"jsonrpc":"2.0","id":1,"method":"message/send","params":{}}"#)
            #expect(legacy?.code == -32601)
            #expect(legacy?.message.contains("SendMessage") == true)
            let noPart = try await raw(
                #"{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m","role":"ROLE_USER","parts":[{}]}}}"#)
            #expect(noPart?.code == -32602)
            #expect(noPart?.message.contains("exactly one of text, raw, url or data") == true)
            let noMessage = try await raw(#"{"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{}}"#)
            #expect(noMessage?.code == -32602)
            #expect(noMessage?.message.contains("message") == true)
        }
    }

    @Test func protoFieldNamesAreAcceptedToo() async throws {
        try await TestAgent().app.test(.router) { client in
            let asked = try await client.sendTask("ask")
            let answered = try await client.rpc(
                "SendMessage",
                ["message": ["message_id": "m2", "task_id": .string(asked.id), "role": "ROLE_USER", "parts": [["text": "ok"]]],
                 "configuration": ["history_length": 1]],
                as: SendMessageResponse.self)
            guard case .task(let task) = answered.result else { Issue.record("expected a task: \(answered)"); return }
            #expect(task.id == asked.id)
            #expect(task.history?.count == 1)
            let fetched = try await client.rpc("GetTask", ["id": .string(asked.id), "history_length": 1], as: A2ATask.self)
            #expect(fetched.result?.history?.count == 1)
        }
    }

    @Test func freeFormKeysKeepTheirSpelling() throws {
        let data = Data(#"{"messageId":"m","role":"ROLE_USER","parts":[{"data":{"user_id":1}}],"metadata":{"trace_id":"x"}}"#.utf8)
        let message = try A2AJSON.decode(Message.self, from: data)
        #expect(message.metadata?["trace_id"] == "x")
        #expect(message.parts.first?.content == .data(["user_id": 1]))
    }

    @Test func nonJSONContentTypeIsRefused() async throws {
        try await TestAgent().app.test(.router) { client in
            let body = ByteBuffer(string: #"{"jsonrpc":"2.0","id":3,"method":"GetTask","params":{"id":"x"}}"#)
            let headers: HTTPFields = [.contentType: "text/plain", HTTPField.Name("A2A-Version")!: "1.0"]
            try await client.execute(uri: "/", method: .post, headers: headers, body: body) { response in
                let error = try A2AJSON.decode(JSONRPCResponse<EmptyResponse>.self, from: Data(buffer: response.body))
                #expect(error.error?.code == -32005)
                #expect(error.id == .number(3))
            }
            try await client.execute(uri: "/message:send", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(String(buffer: response.body).contains("CONTENT_TYPE_NOT_SUPPORTED"))
            }
        }
    }

    @Test func invalidMessagesChangeNothing() async throws {
        try await TestAgent().app.test(.router) { client in
            let agentRole = try await client.send("x", extra: ["role": "ROLE_AGENT"])
            #expect(agentRole.error?.code == -32602)
            let emptyParts = try await client.rpc(
                "SendMessage", ["message": ["messageId": "m", "role": "ROLE_USER", "parts": []]], as: SendMessageResponse.self)
            #expect(emptyParts.error?.code == -32602)
            let image = try await client.rpc(
                "SendMessage",
                ["message": ["messageId": "m", "role": "ROLE_USER", "parts": [["url": "http://x/y.png", "mediaType": "image/png"]]]],
                as: SendMessageResponse.self)
            #expect(image.error?.code == -32005)
            #expect(image.error?.message.contains("image/png") == true)
            let list = try await client.rpc("ListTasks", [:], as: ListTasksResponse.self)
            #expect(list.result?.totalSize == 0)
        }
    }

    @Test func getTaskHonoursHistoryLength() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("hello")
            let none = try await client.rpc("GetTask", ["id": .string(task.id), "historyLength": 0], as: A2ATask.self)
            #expect(none.result?.history == nil)
            let full = try await client.rpc("GetTask", ["id": .string(task.id)], as: A2ATask.self)
            #expect(full.result?.history?.count == 1)
            let missing = try await client.rpc("GetTask", ["id": "nope"], as: A2ATask.self)
            #expect(missing.error?.code == -32001)
            #expect(missing.error?.a2aError.metadata["taskId"] == "nope")
            let negative = try await client.rpc("GetTask", ["id": .string(task.id), "historyLength": -1], as: A2ATask.self)
            #expect(negative.error?.code == -32602)
        }
    }

    @Test func terminalTasksAreImmutable() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("hello")
            let again = try await client.send("more", extra: ["taskId": .string(task.id)])
            #expect(again.error?.code == -32004)
            let cancel = try await client.rpc("CancelTask", ["id": .string(task.id)], as: A2ATask.self)
            #expect(cancel.error?.code == -32002)
            let after = try await client.rpc("GetTask", ["id": .string(task.id)], as: A2ATask.self)
            #expect(after.result == task)
        }
    }

    @Test func interruptedTasksContinueOnFollowUp() async throws {
        try await TestAgent().app.test(.router) { client in
            let asked = try await client.sendTask("ask")
            #expect(asked.status.state == .inputRequired)
            #expect(asked.status.message?.text == "need more")
            let wrongContext = try await client.send("x", extra: ["taskId": .string(asked.id), "contextId": "other"])
            #expect(wrongContext.error?.code == -32602)
            let answered = try await client.sendTask("the answer", extra: ["taskId": .string(asked.id)])
            #expect(answered.id == asked.id)
            #expect(answered.contextId == asked.contextId)
            #expect(answered.status.state == .completed)
            #expect(answered.artifacts?.first?.parts == [.text("follow-up: the answer")])
            // The user's messages and the agent's question are all in the history.
            #expect(answered.history?.map(\.role) == [.user, .agent, .user])
            let unknown = try await client.send("x", extra: ["taskId": "missing"])
            #expect(unknown.error?.code == -32001)
        }
    }

    @Test func cancelStopsARunningTask() async throws {
        try await TestAgent().app.test(.router) { client in
            let asked = try await client.sendTask("ask")
            let canceled = try await client.rpc("CancelTask", ["id": .string(asked.id)], as: A2ATask.self)
            #expect(canceled.result?.status.state == .canceled)
            let twice = try await client.rpc("CancelTask", ["id": .string(asked.id)], as: A2ATask.self)
            #expect(twice.error?.code == -32002)
            let missing = try await client.rpc("CancelTask", ["id": "nope"], as: A2ATask.self)
            #expect(missing.error?.code == -32001)
        }
    }

    @Test func executorFailuresAreReported() async throws {
        try await TestAgent().app.test(.router) { client in
            let failed = try await client.sendTask("throw")
            #expect(failed.status.state == .failed)
            #expect(failed.status.message?.text.contains("script exploded") == true)
            let refused = try await client.send("refuse")
            #expect(refused.error?.code == -32004)
            #expect(refused.error?.message == "refused by the agent")
            let silent = try await client.sendTask("nothing")
            #expect(silent.status.state == .completed)
        }
    }

    @Test func artifactChunksAppend() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("chunks")
            #expect(task.artifacts?.count == 1)
            #expect(task.artifacts?.first?.parts == [.text("a"), .text("b"), .text("c")])
            #expect(task.artifacts?.first?.name == "doc")
        }
    }

    @Test func extendedCardIsUnsupportedUnlessDeclared() async throws {
        try await TestAgent().app.test(.router) { client in
            let response = try await client.rpc("GetExtendedAgentCard", nil, as: AgentCard.self)
            #expect(response.error?.code == -32004)
        }
    }

    @Test func capabilitiesAreEnforced() async throws {
        try await TestAgent(capabilities: AgentCapabilities(streaming: false, pushNotifications: false)).app.test(.router) { client in
            let stream = try await client.rpc(
                "SendStreamingMessage", ["message": ["messageId": "m", "role": "ROLE_USER", "parts": [["text": "x"]]]],
                as: StreamResponse.self)
            #expect(stream.error?.code == -32004)
            let push = try await client.rpc(
                "CreateTaskPushNotificationConfig", ["taskId": "t", "url": "http://127.0.0.1:1/hook"],
                as: TaskPushNotificationConfig.self)
            #expect(push.error?.code == -32003)
        }
    }

    @Test func oversizedBodiesAreRefused() async throws {
        try await TestAgent(limits: A2ALimits(maxBodyBytes: 1024)).app.test(.router) { client in
            let body = ByteBuffer(string: String(repeating: "x", count: 4096))
            try await client.execute(uri: "/", method: .post, headers: a2aHeaders, body: body) { response in
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("1024 bytes"))
            }
        }
    }
}
