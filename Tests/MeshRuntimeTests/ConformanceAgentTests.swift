import A2A
import A2AClient
import Foundation
import MeshAgents
import MeshRuntime
import Testing

/// Every scenario of `specs/tck-sut/*.feature`, driven through A2AClient over both bindings.
@Suite("ConformanceAgent", .timeLimit(.minutes(1)))
struct ConformanceAgentTests {
    static let bindings: [ProtocolBinding] = [.jsonRPC, .httpJSON]

    // MARK: core_operations.feature

    @Test(arguments: bindings)
    func completeTaskAnswersHelloFromTCK(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let message = userMessage(scenarioID("tck-complete-task"))
            let task = try await client.sendForTask(message)
            #expect(task.status.state == .completed)
            let status = try #require(task.status.message)
            #expect(status.role == .agent)
            #expect(status.parts == [.text("Hello from TCK")])
            #expect(status.taskId == task.id)
            #expect(status.contextId == task.contextId)
            #expect(task.history?.contains { $0.messageId == message.messageId } == true)
            let fetched = try await client.getTask(GetTaskRequest(id: task.id))
            #expect(fetched.status.state == .completed)
            #expect(fetched.status.message?.text == "Hello from TCK")
        }
    }

    @Test(arguments: bindings)
    func artifactTextHoldsTheText(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let task = try await client.sendForTask(userMessage(scenarioID("tck-artifact-text")))
            #expect(task.status.state == .completed)
            let artifacts = try #require(task.artifacts)
            #expect(artifacts.count == 1)
            #expect(artifacts.first?.parts == [.text("Generated text content")])
        }
    }

    @Test(arguments: bindings)
    func artifactFileIsANamedTextFile(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let task = try await client.sendForTask(userMessage(scenarioID("tck-artifact-file")))
            #expect(task.status.state == .completed)
            let artifacts = try #require(task.artifacts)
            #expect(artifacts.count == 1)
            let part = try #require(artifacts.first?.parts.first)
            #expect(artifacts.first?.parts.count == 1)
            #expect(part.filename == "output.txt")
            #expect(part.mediaType == "text/plain")
            guard case .raw(let bytes) = part.content else {
                Issue.record("expected raw file bytes, got \(part.content)")
                return
            }
            #expect(!bytes.isEmpty)
        }
    }

    @Test(arguments: bindings)
    func artifactFileURLPointsAtTheFile(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let task = try await client.sendForTask(userMessage(scenarioID("tck-artifact-file-url")))
            #expect(task.status.state == .completed)
            let artifacts = try #require(task.artifacts)
            #expect(artifacts.count == 1)
            #expect(
                artifacts.first?.parts
                    == [Part(.url("https://example.com/output.txt"), filename: "output.txt", mediaType: "text/plain")])
        }
    }

    @Test(arguments: bindings)
    func artifactDataHoldsTheObject(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let task = try await client.sendForTask(userMessage(scenarioID("tck-artifact-data")))
            #expect(task.status.state == .completed)
            let part = try #require(task.artifacts?.first?.parts.first)
            #expect(task.artifacts?.first?.parts.count == 1)
            #expect(part.content == .data(["key": "value", "count": 42]))
        }
    }

    @Test(arguments: bindings)
    func messageResponseIsADirectMessage(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let response = try await client.sendMessage(
                SendMessageRequest(message: userMessage(scenarioID("tck-message-response"))))
            guard case .message(let message) = response else {
                Issue.record("expected a direct message, got \(response)")
                return
            }
            #expect(message.role == .agent)
            #expect(message.parts == [.text("Direct message response")])
        }
    }

    @Test(arguments: bindings)
    func inputRequiredInterruptsTheTaskWhichCanBeCanceled(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let task = try await client.sendForTask(userMessage(scenarioID("tck-input-required")))
            #expect(task.status.state == .inputRequired)
            #expect(try await client.getTask(GetTaskRequest(id: task.id)).status.state == .inputRequired)
            // CORE-CANCEL-001 uses this task as its non-terminal setup.
            let canceled = try await client.cancelTask(CancelTaskRequest(id: task.id))
            #expect(canceled.status.state == .canceled)
        }
    }

    @Test(arguments: bindings)
    func rejectTaskRejectsWithTheReason(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let task = try await client.sendForTask(userMessage(scenarioID("tck-reject-task")))
            #expect(task.status.state == .rejected)
            #expect(task.status.message?.text == "rejected")
        }
    }

    @Test(arguments: bindings)
    func unknownPrefixIsEchoed(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let task = try await client.sendForTask(userMessage("plain-\(UUID())", text: "echo me, please"))
            #expect(task.status.state == .completed)
            let artifacts = try #require(task.artifacts)
            #expect(artifacts.count == 1)
            #expect(artifacts.first?.parts == [.text("echo me, please")])

            let events = try await client.streamAll(userMessage("plain-\(UUID())", text: "streamed echo"))
            #expect(events.map(summary).last == "status:TASK_STATE_COMPLETED")
            #expect(artifactUpdates(events).map { $0.artifact.parts } == [[.text("streamed echo")]])
        }
    }

    // MARK: streaming.feature

    @Test(arguments: [
        ("tck-stream-001", "Stream hello from TCK"),
        ("tck-stream-003", "Stream task lifecycle"),
        ("tck-stream-ordering-001", "Ordered output"),
        ("tck-stream-artifact-text", "Streamed text content"),
    ], bindings)
    func textStreamRunsWorkingArtifactCompleted(scenario: (prefix: String, text: String), binding: ProtocolBinding)
        async throws
    {
        try await withConformanceAgent(binding: binding) { client in
            let events = try await client.streamAll(userMessage(scenarioID(scenario.prefix)))
            #expect(
                events.map(summary) == [
                    "task:TASK_STATE_SUBMITTED", "status:TASK_STATE_WORKING", "artifact:\(scenario.text)",
                    "status:TASK_STATE_COMPLETED",
                ])
            let taskIDs = Set(events.compactMap(\.taskId))
            #expect(taskIDs.count == 1, "every event belongs to one task: \(taskIDs)")
            let task = try await client.getTask(GetTaskRequest(id: try #require(taskIDs.first)))
            #expect(task.status.state == .completed)
            #expect(task.artifacts?.map(\.parts) == [[.text(scenario.text)]])
        }
    }

    @Test(arguments: bindings)
    func messageOnlyStreamCompletes(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let events = try await client.streamAll(userMessage(scenarioID("tck-stream-002")))
            #expect(events.map(summary) == ["task:TASK_STATE_SUBMITTED", "status:TASK_STATE_COMPLETED"])
        }
    }

    @Test(arguments: bindings)
    func streamedFileArtifactIsANamedTextFile(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let events = try await client.streamAll(userMessage(scenarioID("tck-stream-artifact-file")))
            #expect(
                events.map(summary) == [
                    "task:TASK_STATE_SUBMITTED", "status:TASK_STATE_WORKING", "artifact:", "status:TASK_STATE_COMPLETED",
                ])
            let part = try #require(artifactUpdates(events).first?.artifact.parts.first)
            #expect(part.filename == "output.txt")
            #expect(part.mediaType == "text/plain")
        }
    }

    @Test(arguments: bindings)
    func chunkedArtifactArrivesInTwoChunksAndIsJoined(binding: ProtocolBinding) async throws {
        try await withConformanceAgent(binding: binding) { client in
            let events = try await client.streamAll(userMessage(scenarioID("tck-stream-artifact-chunked")))
            #expect(
                events.map(summary) == [
                    "task:TASK_STATE_SUBMITTED", "status:TASK_STATE_WORKING", "artifact:chunk-1 ", "artifact:chunk-2",
                    "status:TASK_STATE_COMPLETED",
                ])
            let chunks = artifactUpdates(events)
            try #require(chunks.count == 2)
            #expect(chunks[0].artifact.artifactId == chunks[1].artifact.artifactId)
            #expect(!chunks[0].append)
            #expect(!chunks[0].lastChunk)
            #expect(chunks[1].append)
            #expect(chunks[1].lastChunk)

            let task = try await client.getTask(GetTaskRequest(id: chunks[0].taskId))
            let artifacts = try #require(task.artifacts)
            #expect(artifacts.count == 1)
            #expect(artifacts.first?.artifactId == chunks[0].artifact.artifactId)
            #expect(artifacts.first?.parts.compactMap(\.text).joined() == "chunk-1 chunk-2")
        }
    }

    @Test(arguments: bindings)
    func resubscribeTaskRunsTwiceTheStreamingTimeoutAndCanBeSubscribedTo(binding: ProtocolBinding) async throws {
        let streamingTimeout = 1.5  // long enough for the subscription to arrive on a loaded machine
        try await withConformanceAgent(binding: binding, streamingTimeout: streamingTimeout) { client in
            let started = ContinuousClock.now
            let stream = try await client.sendStreamingMessage(
                SendMessageRequest(message: userMessage(scenarioID("test-resubscribe-message-id"))))
            var original = stream.makeAsyncIterator()
            let first = try #require(try await original.next())
            let taskID = try #require(first.taskId)
            #expect(summary(first) == "task:TASK_STATE_SUBMITTED")

            // A second client joins the running task: it gets the task first, then the rest of its events.
            async let subscribed: [StreamResponse] = {
                var events: [StreamResponse] = []
                for try await event in try await client.subscribeToTask(SubscribeToTaskRequest(id: taskID)) {
                    events.append(event)
                }
                return events
            }()
            var rest: [StreamResponse] = []
            while let event = try await original.next() { rest.append(event) }
            let finished = ContinuousClock.now
            let joined = try await subscribed

            #expect(rest.map(summary) == ["status:TASK_STATE_WORKING", "status:TASK_STATE_COMPLETED"])
            #expect(
                finished - started >= .seconds(2 * streamingTimeout),
                "the task must stay active for 2 x TCK_STREAMING_TIMEOUT")
            guard case .task(let snapshot) = joined.first else {
                Issue.record("SubscribeToTask did not start with the task: \(joined.map(summary))")
                return
            }
            #expect(snapshot.id == taskID)
            #expect(!snapshot.status.state.isTerminal, "subscribed while it ran, so the task was not yet final")
            #expect(joined.map(summary).last == "status:TASK_STATE_COMPLETED")
            #expect(joined.allSatisfy { $0.taskId == taskID })
            #expect(try await client.getTask(GetTaskRequest(id: taskID)).status.state == .completed)
        }
    }
}
