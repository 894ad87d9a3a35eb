import A2A
import A2AServer
import Foundation
import Logging
import Redis

/// ``WebhookDeadLetters`` in the Redis stream `{prefix}webhook-dlq`, shared by every agent of the mesh: fields
/// `url`, `taskId`, `status` (the last HTTP status, empty when none came), `reason`, `body` and `at` (ISO 8601).
/// The stream keeps about the last 10 000 entries.
public struct RedisWebhookDeadLetters: WebhookDeadLetters {
    let redis: any RedisCommandRunner
    /// The stream's key.
    public let key: String
    let logger: Logger

    public init(redis: any RedisCommandRunner, keyPrefix: String, logger: Logger = Logger(label: "mesh.webhooks")) {
        self.redis = redis
        self.key = "\(keyPrefix)webhook-dlq"
        self.logger = logger
    }

    public func record(_ letter: WebhookDeadLetter) async {
        let fields = [
            "url": letter.url, "taskId": letter.taskId, "status": letter.status.map(String.init) ?? "",
            "reason": letter.reason, "body": letter.body, "at": letter.at.description,
        ]
        do {
            let id = try await redis.xadd(key, fields: fields, trim: .maxLength(10_000))
            logger.error(
                "webhook delivery dead-lettered",
                metadata: [
                    "url": "\(letter.url)", "task": "\(letter.taskId)", "reason": "\(letter.reason)", "entry": "\(id)",
                ])
        } catch {
            logger.error(
                "webhook delivery failed and could not be dead-lettered",
                metadata: [
                    "url": "\(letter.url)", "task": "\(letter.taskId)", "reason": "\(letter.reason)",
                    "error": "\(error)",
                ])
        }
    }

    public func letters(limit: Int) async throws -> [WebhookDeadLetter] {
        try await redis.xrange(key, count: limit).map { entry in
            WebhookDeadLetter(
                url: entry["url"] ?? "", taskId: entry["taskId"] ?? "", status: entry["status"].flatMap { Int($0) },
                reason: entry["reason"] ?? "", body: entry["body"] ?? "",
                at: entry["at"].flatMap { Timestamp(iso8601: $0) } ?? Timestamp(.distantPast))
        }
    }

    /// How many letters the stream holds.
    public func count() async throws -> Int { try await redis.xlen(key) }
}

extension RedisStorage {
    /// The mesh's webhook dead-letter stream, `{prefix}webhook-dlq`.
    public var webhookDeadLetters: RedisWebhookDeadLetters {
        RedisWebhookDeadLetters(redis: pool, keyPrefix: tasks.keys.prefix)
    }
}
