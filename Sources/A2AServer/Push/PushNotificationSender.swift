import A2A
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// Delivers task events to push-notification webhooks: POST of a `StreamResponse`, with the config's
/// token and authentication, retried with exponential backoff and jitter.
///
/// Deliveries for one webhook of one task keep their order; different webhooks proceed in parallel.
public final class PushNotificationSender: Service {
    /// How hard to try before giving up on one delivery.
    public struct RetryPolicy: Sendable {
        public var maxAttempts: Int
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        public var timeout: Duration

        public init(
            maxAttempts: Int = 4, initialBackoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(10),
            timeout: Duration = .seconds(10)
        ) {
            self.maxAttempts = maxAttempts
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.timeout = timeout
        }
    }

    /// One payload for one webhook.
    public struct Delivery: Sendable {
        public let event: StreamResponse
        public let config: TaskPushNotificationConfig
        let body: ByteBuffer
        var lane: String { "\(config.taskId ?? "")/\(config.id ?? "")" }
    }

    private let deliveries: AsyncStream<Delivery>
    private let intake: AsyncStream<Delivery>.Continuation
    /// Deliveries waiting behind the one in flight, per lane.
    private let lanes = Mutex<[String: [Delivery]]>([:])
    private let httpClient: HTTPClient
    private let policy: RetryPolicy
    private let logger: Logger
    private let onGiveUp: @Sendable (Delivery, String) async -> Void
    private let counters = Mutex<(delivered: Int, abandoned: Int)>((0, 0))

    /// - Parameter onGiveUp: called with the delivery and the last failure after the final attempt.
    public init(
        httpClient: HTTPClient = .shared, policy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "a2a.push"),
        onGiveUp: @escaping @Sendable (Delivery, String) async -> Void = { _, _ in }
    ) {
        (deliveries, intake) = AsyncStream.makeStream()
        self.httpClient = httpClient
        self.policy = policy
        self.logger = logger
        self.onGiveUp = onGiveUp
    }

    /// Queues `event` for the webhook in `config`; returns at once.
    public func enqueue(_ event: StreamResponse, to config: TaskPushNotificationConfig) {
        guard let json = try? A2AJSON.encode(event) else { return }
        let delivery = Delivery(event: event, config: config, body: ByteBuffer(bytes: json))
        let startLane = lanes.withLock { lanes -> Bool in
            if lanes[delivery.lane] != nil {
                lanes[delivery.lane]!.append(delivery)
                return false
            }
            lanes[delivery.lane] = []
            return true
        }
        if startLane { intake.yield(delivery) }
    }

    /// Deliveries that reached their webhook, and ones given up on.
    public var counts: (delivered: Int, abandoned: Int) { counters.withLock { $0 } }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for await first in deliveries.cancelOnGracefulShutdown() {
                group.addTask { await self.drainLane(startingWith: first) }
            }
        }
    }

    private func drainLane(startingWith first: Delivery) async {
        var next: Delivery? = first
        while let delivery = next {
            await deliver(delivery)
            next = lanes.withLock { lanes -> Delivery? in
                guard var queue = lanes[delivery.lane], !queue.isEmpty else {
                    lanes[delivery.lane] = nil
                    return nil
                }
                let head = queue.removeFirst()
                lanes[delivery.lane] = queue
                return head
            }
        }
    }

    private func deliver(_ delivery: Delivery) async {
        var backoff = policy.initialBackoff
        var lastFailure = ""
        for attempt in 1...max(1, policy.maxAttempts) {
            do {
                let status = try await post(delivery)
                if (200..<300).contains(status) {
                    counters.withLock { $0.delivered += 1 }
                    return
                }
                lastFailure = "webhook answered HTTP \(status)"
                // A client error other than timeout or rate limit will not change on retry.
                if (400..<500).contains(status), status != 408, status != 429 { break }
            } catch {
                lastFailure = "\(error)"
            }
            logger.warning(
                "push delivery failed",
                metadata: ["url": "\(delivery.config.url)", "attempt": "\(attempt)", "error": "\(lastFailure)"])
            guard attempt < policy.maxAttempts else { break }
            let jitter = Double.random(in: 0.5...1.0)
            try? await Task.sleep(for: backoff * jitter)
            backoff = min(backoff * 2, policy.maxBackoff)
        }
        counters.withLock { $0.abandoned += 1 }
        logger.error("push delivery abandoned", metadata: ["url": "\(delivery.config.url)", "error": "\(lastFailure)"])
        await onGiveUp(delivery, lastFailure)
    }

    private func post(_ delivery: Delivery) async throws -> Int {
        var request = HTTPClientRequest(url: delivery.config.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: A2AProtocol.mediaType)
        if let token = delivery.config.token {
            request.headers.add(name: A2AProtocol.notificationTokenHeader, value: token)
        }
        if let auth = delivery.config.authentication {
            let value = auth.credentials.map { "\(auth.scheme) \($0)" } ?? auth.scheme
            request.headers.add(name: "Authorization", value: value)
        }
        request.body = .bytes(delivery.body)
        let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(policy.timeout.nanoseconds)))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return Int(response.status.code)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
