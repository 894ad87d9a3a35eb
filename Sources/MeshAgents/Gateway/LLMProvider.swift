import NIOCore

/// One model provider speaking its own wire format: OpenAI, Bedrock, Anthropic, Gemini or offline.
public protocol LLMProvider: Sendable {
    /// The provider kind, as `LLM_PROVIDER` names it.
    var kind: String { get }
    /// The model used when a request names none.
    var defaultModel: String { get }
    /// Generates a whole response. Fails with ``LLMProviderError``.
    func complete(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMResponse
    /// Starts a streamed generation. Returns once the provider accepted the request (HTTP errors are thrown
    /// here, so they can be retried); the stream then yields deltas and one `finished`.
    func stream(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMEventStream
}

/// A streamed generation: deltas, then one ``LLMStreamEvent/finished(_:)``.
///
/// Pull-based, so no task runs behind it: each `next()` reads the provider's body as far as it needs.
public struct LLMEventStream: AsyncSequence, Sendable {
    public typealias Element = LLMStreamEvent
    private let start: @Sendable () -> () async throws -> LLMStreamEvent?

    /// A stream whose iterator calls the closure that `start` makes, until it returns nil.
    public init(_ start: @escaping @Sendable () -> () async throws -> LLMStreamEvent?) {
        self.start = start
    }

    /// A stream of events known up front.
    public init(events: [LLMStreamEvent]) {
        self.init {
            var remaining = events[...]
            return { remaining.popFirst() }
        }
    }

    public func makeAsyncIterator() -> Iterator { Iterator(produce: start()) }

    public struct Iterator: AsyncIteratorProtocol {
        let produce: () async throws -> LLMStreamEvent?
        public mutating func next() async throws -> LLMStreamEvent? { try await produce() }
    }

    /// Reads the whole stream into one response.
    public func collect() async throws -> LLMResponse {
        for try await event in self {
            if case .finished(let response) = event { return response }
        }
        throw LLMProviderError(provider: "stream", .malformed("the stream ended without a final event"))
    }
}

/// Why a provider call failed. Its text never holds a key: provider messages are redacted before they get here.
public struct LLMProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The provider answered with an HTTP error; `retryAfter` is its `Retry-After`, if any.
        case http(status: Int, message: String, retryAfter: Duration?)
        /// The connection failed or broke.
        case transport(String)
        /// No answer before the deadline.
        case timeout
        /// The provider's answer did not have the documented shape.
        case malformed(String)
        /// The provider is not usable as configured (missing key or region).
        case notConfigured(String)
    }

    public var provider: String
    public var kind: Kind

    public init(provider: String, _ kind: Kind) {
        self.provider = provider
        self.kind = kind
    }

    /// True for failures a retry may cure: 408, 429, 5xx, broken connections and timeouts.
    public var isRetryable: Bool {
        switch kind {
        case .http(let status, _, _): status == 408 || status == 429 || status >= 500
        case .transport, .timeout: true
        case .malformed, .notConfigured: false
        }
    }

    public var retryAfter: Duration? {
        if case .http(_, _, let retryAfter) = kind { return retryAfter }
        return nil
    }

    public var description: String {
        switch kind {
        case .http(let status, let message, _): "\(provider) answered HTTP \(status): \(message)"
        case .transport(let message): "\(provider) could not be reached: \(message)"
        case .timeout: "\(provider) did not answer in time"
        case .malformed(let message): "\(provider) answered in an unexpected shape: \(message)"
        case .notConfigured(let message): "\(provider) is not configured: \(message)"
        }
    }
}
