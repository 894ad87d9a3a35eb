import Foundation
import Logging
import NIOCore

/// The gateway's core: cache, then the fallback chain with retries, timeouts and a concurrency limit per
/// provider, then token accounting. Both surfaces (`llm.generate` and `/v1/chat/completions`) call it.
public final class LLMGateway: Sendable {
    /// One link of the chain at run time.
    struct Link: Sendable {
        let provider: any LLMProvider
        let model: String?
        let limiter: ConcurrencyLimiter
    }
    let links: [Link]
    let configuration: GatewayConfiguration
    public let ledger: UsageLedger
    let cache: ResponseCache?
    let logger: Logger
    /// Names the chain inside cache keys, so a different chain never answers from another's cache.
    let chainName: String

    public init(
        configuration: GatewayConfiguration, providers: [(provider: any LLMProvider, model: String?)],
        ledger: UsageLedger, cache: ResponseCache?, logger: Logger
    ) {
        self.configuration = configuration
        links = providers.map {
            Link(
                provider: $0.provider, model: $0.model,
                limiter: ConcurrencyLimiter(limit: configuration.concurrencyPerProvider))
        }
        self.ledger = ledger
        self.cache = cache
        self.logger = logger
        chainName = providers.map { "\($0.provider.kind):\($0.model ?? $0.provider.defaultModel)" }.joined(
            separator: ",")
    }

    /// The kinds and models of the chain, for the card and logs (never keys).
    public var chainDescription: String { chainName }

    /// Whether every link is the offline provider.
    public var isOffline: Bool { links.allSatisfy { $0.provider.kind == "offline" } }

    /// Generates a whole response. Throws ``LLMInputError`` for bad input, ``LLMGatewayError`` when every
    /// provider failed.
    public func complete(_ request: LLMRequest, scope: UsageScope) async throws -> LLMResponse {
        try request.validate()
        let cacheKey = cache?.key(for: request, chain: chainName)
        if let cache, let cacheKey, let hit = await cache.lookup(cacheKey) {
            logger.info("answered from the cache", metadata: ["agent": "\(scope.agent)"])
            await ledger.record(hit, scope: scope)
            return hit
        }
        let response = try await withFallback(request) { link, model, deadline in
            try await link.provider.complete(request, model: model, deadline: deadline)
        }
        await ledger.record(response, scope: scope)
        if let cache, let cacheKey { await cache.store(response, under: cacheKey) }
        return response
    }

    /// Starts a streamed generation; retries and fallback apply until a provider accepts the request.
    /// Accounting and caching happen when the stream's `finished` event passes.
    public func stream(_ request: LLMRequest, scope: UsageScope) async throws -> LLMEventStream {
        try request.validate()
        let cacheKey = cache?.key(for: request, chain: chainName)
        if let cache, let cacheKey, let hit = await cache.lookup(cacheKey) {
            logger.info("answered from the cache", metadata: ["agent": "\(scope.agent)"])
            await ledger.record(hit, scope: scope)
            return LLMEventStream(events: [.delta(hit.text), .finished(hit)])
        }
        let (upstream, permit) = try await withFallback(request, keepingPermit: true) { link, model, deadline in
            try await link.provider.stream(request, model: model, deadline: deadline)
        }
        let ledger = ledger
        let cache = cache
        return LLMEventStream {
            var iterator = upstream.makeAsyncIterator()
            return {
                guard let event = try await iterator.next() else {
                    permit?.release()
                    return nil
                }
                if case .finished(let response) = event {
                    permit?.release()
                    await ledger.record(response, scope: scope)
                    if let cache, let cacheKey { await cache.store(response, under: cacheKey) }
                }
                return event
            }
        }
    }

    private func withFallback<Result: Sendable>(
        _ request: LLMRequest, call: (Link, String, NIODeadline) async throws -> Result
    ) async throws -> Result {
        try await withFallback(request, keepingPermit: false, call: call).0
    }

    /// Tries each link in order, retrying retryable failures with backoff. With `keepingPermit` the
    /// concurrency slot of the successful call is handed back to the caller (a stream holds it until it ends).
    private func withFallback<Result: Sendable>(
        _ request: LLMRequest, keepingPermit: Bool, call: (Link, String, NIODeadline) async throws -> Result
    ) async throws -> (Result, ConcurrencyPermit?) {
        var failures: [LLMProviderError] = []
        for (index, link) in links.enumerated() {
            // The requested model applies to the first link; fallbacks use their own, as other providers
            // would not know it.
            let model = (index == 0 ? request.model : nil) ?? link.model ?? link.provider.defaultModel
            var attempt = 0
            while true {
                let permit = try await link.limiter.acquire()
                do {
                    let deadline = NIODeadline.now() + .nanoseconds(Int64(configuration.timeout.nanoseconds))
                    let result = try await call(link, model, deadline)
                    ledger.countAttempt(provider: link.provider.kind, outcome: "ok")
                    logger.info(
                        "provider answered",
                        metadata: [
                            "provider": "\(link.provider.kind)", "model": "\(model)", "attempt": "\(attempt + 1)",
                        ])
                    if keepingPermit { return (result, permit) }
                    permit.release()
                    return (result, nil)
                } catch let error as LLMProviderError {
                    permit.release()
                    let wait = error.retryAfter ?? backoff(attempt)
                    let retry =
                        error.isRetryable && attempt < configuration.maxRetries && wait <= configuration.maxRetryWait
                    ledger.countAttempt(provider: link.provider.kind, outcome: retry ? "retry" : "failed")
                    logger.warning(
                        "provider call failed",
                        metadata: [
                            "provider": "\(link.provider.kind)", "model": "\(model)", "attempt": "\(attempt + 1)",
                            "error": "\(error)", "next": "\(retry ? "retry in \(wait)" : "next provider")",
                        ])
                    guard retry else {
                        failures.append(error)
                        break
                    }
                    attempt += 1
                    try await Task.sleep(for: wait)
                }
            }
        }
        throw LLMGatewayError(failures: failures)
    }

    /// Exponential backoff with jitter: base × 2^attempt × [0.5, 1).
    func backoff(_ attempt: Int) -> Duration {
        configuration.retryBaseDelay * (Double(1 << min(attempt, 10)) * Double.random(in: 0.5..<1))
    }
}

/// Every provider of the chain failed; the last failure of each, in chain order.
public struct LLMGatewayError: Error, Sendable, CustomStringConvertible {
    public var failures: [LLMProviderError]

    /// The status to answer with: 429 when every provider was rate-limiting, 504 for timeouts, else 502.
    public var httpStatus: Int {
        if !failures.isEmpty, failures.allSatisfy({ $0.kind.status == 429 }) { return 429 }
        if !failures.isEmpty, failures.allSatisfy({ $0.kind == .timeout }) { return 504 }
        return 502
    }

    public var description: String {
        "every provider failed: " + failures.map(\.description).joined(separator: "; ")
    }
}

extension LLMProviderError.Kind {
    var status: Int? {
        if case .http(let status, _, _) = self { return status }
        return nil
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
