import Crypto
import Foundation
import Logging
import MeshRuntime
import Redis

/// Finished responses in Redis under `<prefix>llm:cache:<sha256>`, keyed by the normalized request.
public struct ResponseCache: Sendable {
    let redis: any RedisCommandRunner
    let keyPrefix: String
    public let ttl: Duration
    let logger: Logger

    public init(redis: any RedisCommandRunner, keyPrefix: String = "mesh:", ttl: Duration, logger: Logger) {
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.ttl = ttl
        self.logger = logger
    }

    /// The cache key: SHA-256 over the request without its stream flag (a streamed and a plain request
    /// for the same thing share an answer), with messages trimmed, plus the provider chain that answers it.
    public func key(for request: LLMRequest, chain: String) -> String {
        var normalized = request
        normalized.stream = false
        normalized.messages = request.messages.map {
            ChatMessage(role: $0.role, content: $0.content.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var data = (try? encoder.encode(normalized)) ?? Data()
        data.append(contentsOf: Array("\n\(chain)".utf8))
        let digest = SHA256.hash(data: data).hexString
        return "\(keyPrefix)llm:cache:\(digest)"
    }

    /// The cached response, marked `cached`; nil on a miss or when Redis fails (the provider is asked instead).
    func lookup(_ key: String) async -> LLMResponse? {
        do {
            guard let json = try await redis.getBytes(key) else { return nil }
            var response = try JSONDecoder().decode(LLMResponse.self, from: Data(json))
            response.cached = true
            return response
        } catch {
            logger.warning("response cache lookup failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func store(_ response: LLMResponse, under key: String) async {
        do {
            let json = try JSONEncoder().encode(response)
            try await redis.set(key, bytes: Array(json), expiration: ttl)
        } catch {
            logger.warning("response cache write failed", metadata: ["error": "\(error)"])
        }
    }
}
