import A2A
@testable import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A local webhook that records what it receives and can fail its first requests.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        let headers: HTTPFields
        let body: Data
    }

    private let state = Mutex<(received: [Received], failuresLeft: Int)>(([], 0))

    init(failFirst: Int = 0) {
        state.withLock { $0.failuresLeft = failFirst }
    }

    var received: [Received] { state.withLock { $0.received } }

    /// Runs the webhook on a free loopback port for the duration of `body`.
    func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/hook") { request, context -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let fail = self.state.withLock { state -> Bool in
                if state.failuresLeft > 0 {
                    state.failuresLeft -= 1
                    return true
                }
                state.received.append(Received(headers: request.headers, body: Data(buffer: bytes)))
                return false
            }
            return Response(status: fail ? .internalServerError : .ok)
        }
        let port = BoundPortBox()
        var logger = Logger(label: "webhook")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { port.set($0.localAddress?.port ?? 0) }, logger: logger)
        return try await app.test(.live) { _ in
            try await body("http://127.0.0.1:\(await port.wait())/hook")
        }
    }

    /// Waits until `count` deliveries arrived, or the deadline passes.
    func waitFor(_ count: Int, within: Duration = .seconds(10)) async throws -> [Received] {
        let deadline = ContinuousClock.now + within
        while received.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return received
    }
}

final class BoundPortBox: Sendable {
    private let state = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))
    func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }
    func wait() async -> Int {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

@Suite("Push notification delivery")
struct PushDeliveryTests {
    @Test func deliversEveryEventInOrderWithTokenAndAuthentication() async throws {
        let webhook = WebhookReceiver()
        try await webhook.serve { url in
            try await TestAgent().app.test(.router) { client in
                let config: JSONValue = [
                    "taskPushNotificationConfig": [
                        "url": .string(url), "token": "tok-1", "authentication": ["scheme": "Bearer", "credentials": "s3cret"],
                    ]
                ]
                let task = try await client.sendTask("hello", configuration: config)
                let received = try await webhook.waitFor(4)
                #expect(received.count == 4)
                #expect(received.allSatisfy { $0.headers[HTTPField.Name("X-A2A-Notification-Token")!] == "tok-1" })
                #expect(received.allSatisfy { $0.headers[.authorization] == "Bearer s3cret" })
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
        let webhook = WebhookReceiver(failFirst: 2)
        let agent = TestAgent(retry: .init(maxAttempts: 4, initialBackoff: .milliseconds(20)))
        try await webhook.serve { url in
            try await agent.app.test(.router) { client in
                let task = try await client.sendTask("ask")
                let created = try await client.rpc(
                    "CreateTaskPushNotificationConfig", ["taskId": .string(task.id), "url": .string(url)],
                    as: TaskPushNotificationConfig.self)
                #expect(created.result?.id != nil)
                _ = try await client.rpc("CancelTask", ["id": .string(task.id)], as: A2ATask.self)
                let received = try await webhook.waitFor(1)
                let event = try A2AJSON.decode(StreamResponse.self, from: try #require(received.first).body)
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
        let webhook = WebhookReceiver(failFirst: 100)
        let agent = TestAgent(retry: .init(maxAttempts: 2, initialBackoff: .milliseconds(10)))
        try await webhook.serve { url in
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
