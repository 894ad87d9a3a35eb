import A2A
import Foundation
import Logging
import Synchronization

/// A webhook delivery given up on after its last attempt (or refused by the ``WebhookGuard``).
public struct WebhookDeadLetter: Sendable, Hashable, Codable {
    /// The webhook URL, without any user info.
    public var url: String
    public var taskId: String
    /// The HTTP status of the last answer, or nil when none came (refused, unreachable, timed out).
    public var status: Int?
    /// Why the delivery failed, e.g. "webhook answered HTTP 500".
    public var reason: String
    /// The body that was to be delivered.
    public var body: String
    public var at: Timestamp

    public init(url: String, taskId: String, status: Int?, reason: String, body: String, at: Timestamp = Timestamp()) {
        self.url = WebhookDeadLetter.redacting(url)
        self.taskId = taskId
        self.status = status
        self.reason = reason
        self.body = body
        self.at = at
    }

    /// `url` without `user:password@`.
    static func redacting(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.user != nil || components.password != nil
        else { return url }
        components.user = nil
        components.password = nil
        return components.string ?? url
    }
}

/// Where failed webhook deliveries go: a Redis stream when the agent has Redis, else process memory.
public protocol WebhookDeadLetters: Sendable {
    /// Keeps `letter`; failures to keep it are logged, not thrown (the delivery has failed already).
    func record(_ letter: WebhookDeadLetter) async
    /// The letters kept, oldest first, at most `limit`.
    func letters(limit: Int) async throws -> [WebhookDeadLetter]
    /// How many letters are kept.
    func count() async throws -> Int
}

/// ``WebhookDeadLetters`` in process memory: the last `capacity` letters, each also logged.
public final class InMemoryWebhookDeadLetters: WebhookDeadLetters {
    private let kept = Mutex<[WebhookDeadLetter]>([])
    private let capacity: Int
    private let logger: Logger

    public init(capacity: Int = 1000, logger: Logger = Logger(label: "a2a.push")) {
        self.capacity = capacity
        self.logger = logger
    }

    public func record(_ letter: WebhookDeadLetter) async {
        logger.error(
            "webhook delivery dead-lettered (in memory: this agent has no Redis)",
            metadata: ["url": "\(letter.url)", "task": "\(letter.taskId)", "reason": "\(letter.reason)"])
        kept.withLock { letters in
            letters.append(letter)
            if letters.count > capacity { letters.removeFirst(letters.count - capacity) }
        }
    }

    public func letters(limit: Int) async throws -> [WebhookDeadLetter] {
        kept.withLock { Array($0.prefix(limit)) }
    }

    public func count() async throws -> Int { kept.withLock { $0.count } }
}
