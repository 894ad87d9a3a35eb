import A2A
import AsyncHTTPClient
import Foundation
import Logging
import MeshTracing
import NIOCore
import ServiceLifecycle
import Synchronization

/// Delivers task events to push-notification webhooks: POST of a `StreamResponse`, with the config's token and
/// `Authorization`, through a ``WebhookPoster`` (SSRF guard, signature, traceparent, retries with backoff and
/// jitter). A delivery given up on goes to the ``WebhookDeadLetters``.
///
/// Deliveries for one webhook of one task keep their order; different webhooks proceed in parallel.
public final class PushNotificationSender: Service {
    public typealias RetryPolicy = WebhookRetryPolicy

    /// One payload for one webhook.
    public struct Delivery: Sendable {
        public let event: StreamResponse
        public let config: TaskPushNotificationConfig
        let body: ByteBuffer
        /// The `traceparent` of the work that produced the event, continued by the delivery.
        let traceParent: String?
        var lane: String { "\(config.taskId ?? "")/\(config.id ?? "")" }
    }

    private let deliveries: AsyncStream<Delivery>
    private let intake: AsyncStream<Delivery>.Continuation
    /// Deliveries waiting behind the one in flight, per lane.
    private let lanes = Mutex<[String: [Delivery]]>([:])
    /// How deliveries are made; its guard also judges push configs when they are set.
    public let poster: WebhookPoster
    public let deadLetters: any WebhookDeadLetters
    private let logger: Logger
    private let counters = Mutex<(delivered: Int, abandoned: Int)>((0, 0))

    public init(
        poster: WebhookPoster, deadLetters: (any WebhookDeadLetters)? = nil,
        logger: Logger = Logger(label: "a2a.push")
    ) {
        (deliveries, intake) = AsyncStream.makeStream()
        self.poster = poster
        self.deadLetters = deadLetters ?? InMemoryWebhookDeadLetters(logger: logger)
        self.logger = logger
    }

    /// A sender with its own poster. The guard refuses private networks unless told otherwise.
    public convenience init(
        httpClient: HTTPClient = .shared, policy: RetryPolicy = RetryPolicy(), guardrail: WebhookGuard = WebhookGuard(),
        signingSecret: String? = nil, deadLetters: (any WebhookDeadLetters)? = nil,
        logger: Logger = Logger(label: "a2a.push")
    ) {
        self.init(
            poster: WebhookPoster(
                guardrail: guardrail, policy: policy, signingSecret: signingSecret, httpClient: httpClient,
                logger: logger),
            deadLetters: deadLetters, logger: logger)
    }

    /// Queues `event` for the webhook in `config`; returns at once.
    public func enqueue(_ event: StreamResponse, to config: TaskPushNotificationConfig) {
        guard let json = try? A2AJSON.encode(event) else { return }
        let delivery = Delivery(
            event: event, config: config, body: ByteBuffer(bytes: json), traceParent: MeshTrace.traceParent)
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
        var headers = [(name: "Content-Type", value: A2AProtocol.mediaType)]
        if let token = delivery.config.token {
            headers.append((A2AProtocol.notificationTokenHeader, token))
        }
        if let auth = delivery.config.authentication {
            headers.append(("Authorization", auth.credentials.map { "\(auth.scheme) \($0)" } ?? auth.scheme))
        }
        switch await poster.post(
            delivery.body, to: delivery.config.url, headers: headers, traceParent: delivery.traceParent)
        {
        case .delivered:
            counters.withLock { $0.delivered += 1 }
        case .abandoned(let status, let reason):
            counters.withLock { $0.abandoned += 1 }
            logger.error(
                "push delivery abandoned",
                metadata: ["url": "\(WebhookDeadLetter.redacting(delivery.config.url))", "error": "\(reason)"])
            await deadLetters.record(
                WebhookDeadLetter(
                    url: delivery.config.url, taskId: delivery.config.taskId ?? delivery.event.taskId ?? "",
                    status: status,
                    reason: reason, body: String(buffer: delivery.body)))
        }
    }
}
