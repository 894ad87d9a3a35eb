import A2A
@testable import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Synchronization
import MeshTesting
import Testing

/// A webhook that answers 500 to its first `count` requests, then 200.
final class FailFirst: Sendable {
    private let remaining: Mutex<Int>

    init(_ count: Int) { remaining = Mutex(count) }

    func respond(_ request: RecordedRequest) -> ScriptedResponse {
        let fail = remaining.withLock { remaining -> Bool in
            defer { remaining -= 1 }
            return remaining > 0
        }
        return ScriptedResponse(status: fail ? 500 : 200)
    }
}

@Suite("Push notification delivery")
struct PushDeliveryTests {
    @Test func deliversEveryEventInOrderWithTokenAndAuthentication() async throws {
        try await HTTPTestServer.withServer { webhook in
            let url = webhook.baseURL + "/hook"
            try await TestAgent().app.test(.router) { client in
                let config: JSONValue = [
                    "taskPushNotificationConfig": [
                        "url": .string(url), "token": "tok-1", "authentication": ["scheme": "Bearer", "credentials": "s3cret"],
                    ]
                ]
                let task = try await client.sendTask("hello", configuration: config)
                let received = try await webhook.waitForRequests(count: 4)
                #expect(received.count == 4)
                #expect(received.allSatisfy { $0.header("X-A2A-Notification-Token") == "tok-1" })
                #expect(received.allSatisfy { $0.header("Authorization") == "Bearer s3cret" })
                #expect(received.allSatisfy { $0.method == "POST" && $0.uri == "/hook" })
                let events = try received.map { try A2AJSON.decode(StreamResponse.self, from: $0.body) }
                #expect(events.allSatisfy { $0.taskId == task.id })
                guard case .task = events.first, case .statusUpdate(let last) = events.last else {
                    Issue.record("unexpected payloads \(events)")
                    return
                }
                #expect(last.status.state == .completed)
            }
        }
    }

    @Test func retriesAFailingWebhookWithBackoff() async throws {
        let failing = FailFirst(2)
        let agent = TestAgent(retry: .init(maxAttempts: 4, initialBackoff: .milliseconds(20)))
        try await HTTPTestServer.withServer(respond: failing.respond) { webhook in
            let url = webhook.baseURL + "/hook"
            try await agent.app.test(.router) { client in
                let task = try await client.sendTask("ask")
                let created = try await client.rpc(
                    "CreateTaskPushNotificationConfig", ["taskId": .string(task.id), "url": .string(url)],
                    as: TaskPushNotificationConfig.self)
                #expect(created.result?.id != nil)
                _ = try await client.rpc("CancelTask", ["id": .string(task.id)], as: A2ATask.self)
                let received = try await webhook.waitForRequests(count: 3)
                #expect(received.count == 3, "two failed attempts, then the delivery")
                let event = try A2AJSON.decode(StreamResponse.self, from: try #require(received.last).body)
                guard case .statusUpdate(let update) = event else { Issue.record("expected a status update"); return }
                #expect(update.status.state == .canceled)
                // The sender counts a delivery once the webhook's answer is back, just after the webhook saw it.
                let deadline = ContinuousClock.now + .seconds(5)
                while agent.pushSender.counts.delivered < 1, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(agent.pushSender.counts.delivered == 1)
                #expect(agent.pushSender.counts.abandoned == 0)
            }
        }
    }

    @Test func givesUpAfterTheLastAttempt() async throws {
        let failing = FailFirst(100)
        let agent = TestAgent(retry: .init(maxAttempts: 2, initialBackoff: .milliseconds(10)))
        try await HTTPTestServer.withServer(respond: failing.respond) { webhook in
            let url = webhook.baseURL + "/hook"
            try await agent.app.test(.router) { client in
                _ = try await client.sendTask("hello", configuration: ["taskPushNotificationConfig": ["url": .string(url)]])
                let deadline = ContinuousClock.now + .seconds(10)
                while agent.pushSender.counts.abandoned < 4, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(agent.pushSender.counts.abandoned == 4)
                #expect(agent.pushSender.counts.delivered == 0)
            }
        }
    }
}
