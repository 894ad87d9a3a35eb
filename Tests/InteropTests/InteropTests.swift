import A2A
import A2AClient
import Foundation
import MeshTesting
import Testing

/// The reverse direction of interop: `A2AClient` drives an agent of the reference Python SDK over both bindings.
@Suite("A2AClient against the a2a-sdk reference agent", .timeLimit(.minutes(2)))
struct InteropTests {
    static let bindings: [ProtocolBinding] = [.jsonRPC, .httpJSON]

    @Test(arguments: bindings)
    func cardChoosesTheInterfaceOfTheBinding(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            #expect(client.endpoint.binding == binding)
            #expect(client.endpoint.url == (binding == .jsonRPC ? agent.baseURL : agent.baseURL + "/rest"))
            let card = try #require(client.card)
            #expect(card.name == "Reference Agent")
            #expect(card.capabilities.streaming == true)
            #expect(card.capabilities.pushNotifications == true)
            #expect(card.skills.map(\.id) == ["echo"])
            #expect(card.skills.first?.tags == ["echo", "test"])
        }
    }

    @Test(arguments: bindings)
    func sendMessageReturnsACompletedTaskWithTheEcho(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            let text = "hello over \(binding.rawValue)"
            let task = try #require(try await client.sendMessage(userMessage(text)).task)
            #expect(task.status.state == .completed)
            #expect(task.artifacts?.count == 1)
            #expect(task.artifacts?.first?.name == "echo")
            #expect(task.artifacts?.first?.parts.first?.text == text)
            #expect(task.history?.first?.text == text)
            #expect(task.history?.first?.role == .user)
        }
    }

    @Test(arguments: bindings)
    func sendMessageReturnsADirectMessage(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            let response = try await client.sendMessage(userMessage("ping", prefix: "msg-"))
            guard case .message(let message) = response else {
                Issue.record("expected a message reply, got \(response)")
                return
            }
            #expect(message.role == .agent)
            #expect(message.text == "reply: ping")
            #expect(message.messageId.hasPrefix("reply-msg-"))
        }
    }

    @Test(arguments: bindings)
    func streamingMessageDeliversEventsInOrderUntilTerminal(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            var events: [StreamResponse] = []
            for try await event in try await client.sendStreamingMessage(userMessage("stream me")) {
                events.append(event)
            }
            let summary = events.map { event -> String in
                switch event {
                case .task(let task): "task:\(task.status.state.rawValue)"
                case .statusUpdate(let update): "status:\(update.status.state.rawValue)"
                case .artifactUpdate(let update): "artifact:\(update.artifact.parts.first?.text ?? "")"
                case .message: "message"
                }
            }
            #expect(
                summary == [
                    "task:TASK_STATE_SUBMITTED", "status:TASK_STATE_WORKING", "artifact:stream me",
                    "status:TASK_STATE_COMPLETED",
                ])
            #expect(Set(events.compactMap(\.taskId)).count == 1)
            #expect(events.last?.endsStream == true)
        }
    }

    @Test(arguments: bindings)
    func getTaskHonoursHistoryLength(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            // An interrupted task continued by a second message holds both user messages and the agent's question.
            let first = try #require(try await client.sendMessage(userMessage("first", prefix: "input-")).task)
            #expect(first.status.state == .inputRequired)
            let second = try await client.sendMessage(
                userMessage("second", contextId: first.contextId, taskId: first.id))
            #expect(second.task?.status.state == .completed)

            let full = try await client.getTask(GetTaskRequest(id: first.id))
            #expect(full.status.state == .completed)
            let history = full.history ?? []
            #expect(history.count >= 2)
            #expect(history.contains { $0.text == "first" })
            #expect(history.last?.text == "second")

            let one = try await client.getTask(GetTaskRequest(id: first.id, historyLength: 1))
            #expect(one.history?.map(\.text) == ["second"])
            let none = try await client.getTask(GetTaskRequest(id: first.id, historyLength: 0))
            #expect(none.history?.isEmpty ?? true)
        }
    }

    @Test(arguments: bindings)
    func listTasksFiltersByContextAndPages(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            let first = try #require(try await client.sendMessage(userMessage("one")).task)
            let context = first.contextId
            let second = try #require(try await client.sendMessage(userMessage("two", contextId: context)).task)
            let other = try #require(try await client.sendMessage(userMessage("three")).task)
            #expect(second.contextId == context)
            #expect(other.contextId != context)

            let listed = try await client.listTasks(ListTasksRequest(contextId: context))
            #expect(Set(listed.tasks.map(\.id)) == [first.id, second.id])
            #expect(listed.tasks.allSatisfy { $0.contextId == context })

            let page1 = try await client.listTasks(ListTasksRequest(contextId: context, pageSize: 1))
            #expect(page1.tasks.count == 1)
            #expect(!page1.nextPageToken.isEmpty)
            let page2 = try await client.listTasks(
                ListTasksRequest(contextId: context, pageSize: 1, pageToken: page1.nextPageToken))
            #expect(page2.tasks.count == 1)
            #expect(Set((page1.tasks + page2.tasks).map(\.id)) == [first.id, second.id])

            let completed = try await client.listTasks(ListTasksRequest(status: .completed))
            #expect(Set(completed.tasks.map(\.id)).isSuperset(of: [first.id, second.id, other.id]))
            let working = try await client.listTasks(ListTasksRequest(status: .working))
            #expect(working.tasks.isEmpty)
        }
    }

    @Test(arguments: bindings)
    func cancelTaskCancelsAnInterruptedTaskOnce(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            let task = try #require(try await client.sendMessage(userMessage("wait", prefix: "input-")).task)
            #expect(task.status.state == .inputRequired)

            let canceled = try await client.cancelTask(CancelTaskRequest(id: task.id))
            #expect(canceled.id == task.id)
            #expect(canceled.status.state == .canceled)
            #expect(try await client.getTask(GetTaskRequest(id: task.id)).status.state == .canceled)

            let again = await a2aErrorKind { _ = try await client.cancelTask(CancelTaskRequest(id: task.id)) }
            #expect(again == .taskNotCancelable)
            let done = try #require(try await client.sendMessage(userMessage("done")).task)
            let terminal = await a2aErrorKind { _ = try await client.cancelTask(CancelTaskRequest(id: done.id)) }
            #expect(terminal == .taskNotCancelable)
        }
    }

    @Test(arguments: bindings)
    func unknownTaskIsNotFoundForEveryOperation(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            let missing = "no-such-task"
            #expect(await a2aErrorKind { _ = try await client.getTask(GetTaskRequest(id: missing)) } == .taskNotFound)
            #expect(
                await a2aErrorKind { _ = try await client.cancelTask(CancelTaskRequest(id: missing)) } == .taskNotFound)
            #expect(
                await a2aErrorKind {
                    for try await _ in try await client.subscribeToTask(SubscribeToTaskRequest(id: missing)) {}
                } == .taskNotFound)
            let error = await #expect(throws: A2AClientError.self) {
                _ = try await client.getTask(GetTaskRequest(id: missing))
            }
            #expect(error?.a2aError?.code == -32001)
        }
    }

    @Test(arguments: bindings)
    func subscribeFollowsARunningTaskUntilItIsCanceled(binding: ProtocolBinding) async throws {
        try await ReferenceAgent.withRunning { agent in
            let client = try await agent.client(binding)
            var request = userMessage("tick", prefix: "slow-")
            request.configuration = SendMessageConfiguration(returnImmediately: true)
            let task = try #require(try await client.sendMessage(request).task)
            #expect(!task.status.state.isTerminal)

            var ticks: [String] = []
            var finalState: TaskState?
            var sawSnapshot = false
            for try await event in try await client.subscribeToTask(SubscribeToTaskRequest(id: task.id)) {
                #expect(event.taskId == task.id)
                switch event {
                case .task(let snapshot):
                    sawSnapshot = true
                    finalState = snapshot.status.state
                case .artifactUpdate(let update):
                    ticks.append(update.artifact.parts.first?.text ?? "")
                    if ticks.count == 3 {
                        let canceled = try await client.cancelTask(CancelTaskRequest(id: task.id))
                        #expect(canceled.status.state == .canceled)
                    }
                case .statusUpdate(let update):
                    finalState = update.status.state
                case .message:
                    Issue.record("unexpected message on a task stream")
                }
            }
            #expect(sawSnapshot)
            #expect(ticks.count >= 3)
            #expect(ticks.allSatisfy { $0.hasPrefix("tick ") })
            #expect(finalState == .canceled)
        }
    }

    @Test(arguments: bindings)
    func pushConfigsAreManagedAndDelivered(binding: ProtocolBinding) async throws {
        try await HTTPTestServer.withServer { webhook in
            try await ReferenceAgent.withRunning { agent in
                let client = try await agent.client(binding)
                let task = try #require(try await client.sendMessage(userMessage("hold", prefix: "input-")).task)
                #expect(task.status.state == .inputRequired)

                let hook = webhook.baseURL + "/hooks/\(binding == .jsonRPC ? "rpc" : "rest")"
                let created = try await client.createTaskPushNotificationConfig(
                    TaskPushNotificationConfig(id: "cfg-1", taskId: task.id, url: hook, token: "tok-\(task.id)"))
                #expect(created.id == "cfg-1")
                #expect(created.taskId == task.id)
                #expect(created.url == hook)
                #expect(created.token == "tok-\(task.id)")

                let fetched = try await client.getTaskPushNotificationConfig(
                    GetTaskPushNotificationConfigRequest(taskId: task.id, id: "cfg-1"))
                #expect(fetched.url == hook)
                let listed = try await client.listTaskPushNotificationConfigs(
                    ListTaskPushNotificationConfigsRequest(taskId: task.id))
                #expect(listed.configs.map(\.id) == ["cfg-1"])

                // Continuing the task makes it complete; each event is POSTed to the webhook.
                let done = try await client.sendMessage(
                    userMessage("go on", contextId: task.contextId, taskId: task.id))
                #expect(done.task?.status.state == .completed)
                let deliveries = try await webhook.waitForRequests(count: 1, timeout: .seconds(15)) {
                    $0.text.contains("TASK_STATE_COMPLETED")
                }
                let delivery = try #require(deliveries.first)
                #expect(delivery.method == "POST")
                #expect(delivery.uri == "/hooks/\(binding == .jsonRPC ? "rpc" : "rest")")
                #expect(delivery.header(A2AProtocol.notificationTokenHeader) == "tok-\(task.id)")
                let pushed = try A2AJSON.decode(StreamResponse.self, from: delivery.body)
                #expect(pushed.taskId == task.id)
                #expect(
                    webhook.requests.allSatisfy { $0.header(A2AProtocol.notificationTokenHeader) == "tok-\(task.id)" })
                #expect(
                    webhook.requests.allSatisfy { (try? A2AJSON.decode(StreamResponse.self, from: $0.body)) != nil })

                try await client.deleteTaskPushNotificationConfig(
                    DeleteTaskPushNotificationConfigRequest(taskId: task.id, id: "cfg-1"))
                let afterDelete = try await client.listTaskPushNotificationConfigs(
                    ListTaskPushNotificationConfigsRequest(taskId: task.id))
                #expect(afterDelete.configs.isEmpty)
                let gone = await a2aErrorKind {
                    _ = try await client.getTaskPushNotificationConfig(
                        GetTaskPushNotificationConfigRequest(taskId: task.id, id: "cfg-1"))
                }
                #expect(gone != nil)
            }
        }
    }
}
