import Foundation

/// Who wrote a chat message.
public enum ChatRole: String, Sendable, Hashable, Codable, CaseIterable {
    case system, user, assistant
}

/// One message of a conversation sent to a model.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var role: ChatRole
    public var content: String

    public init(role: ChatRole, content: String) {
        self.role = role
        self.content = content
    }
}

/// A provider-neutral generation request.
public struct LLMRequest: Sendable, Hashable, Codable {
    public var messages: [ChatMessage]
    /// The model to ask for; nil lets each provider use its configured default.
    public var model: String?
    public var temperature: Double?
    public var maxTokens: Int?
    /// True when the caller wants deltas as they are generated.
    public var stream: Bool

    public init(
        messages: [ChatMessage], model: String? = nil, temperature: Double? = nil, maxTokens: Int? = nil,
        stream: Bool = false
    ) {
        self.messages = messages
        self.model = model
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stream = stream
    }

    /// Checks what every provider requires; the error names the field and the value.
    public func validate() throws(LLMInputError) {
        guard !messages.isEmpty else { throw LLMInputError(field: "messages", "must hold at least one message") }
        if let index = messages.firstIndex(where: { $0.content.isEmpty }) {
            throw LLMInputError(field: "messages[\(index)].content", "must not be empty")
        }
        guard messages.contains(where: { $0.role != .system }) else {
            throw LLMInputError(field: "messages", "needs at least one user or assistant message")
        }
        if let temperature, !(0...2).contains(temperature) || temperature.isNaN {
            throw LLMInputError(field: "temperature", "must be between 0 and 2, got \(temperature)")
        }
        if let maxTokens, maxTokens < 1 {
            throw LLMInputError(field: "maxTokens", "must be 1 or more, got \(maxTokens)")
        }
        if let model, model.isEmpty { throw LLMInputError(field: "model", "must not be empty when given") }
    }

    /// The system messages joined, for providers that take the system prompt apart from the turns.
    var systemPrompt: String? {
        let system = messages.filter { $0.role == .system }.map(\.content)
        return system.isEmpty ? nil : system.joined(separator: "\n\n")
    }

    /// The user and assistant turns, for providers that take the system prompt apart.
    var turns: [ChatMessage] { messages.filter { $0.role != .system } }
}

/// Bad input to the gateway: which field, and what was wrong with it.
public struct LLMInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field) \(reason)" }
}

/// Tokens a generation consumed.
public struct LLMUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int

    public init(inputTokens: Int = 0, outputTokens: Int = 0) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }

    public var totalTokens: Int { inputTokens + outputTokens }
}

/// A finished generation.
public struct LLMResponse: Sendable, Hashable, Codable {
    public var text: String
    /// The model that answered, as the provider named it.
    public var model: String
    public var usage: LLMUsage
    /// Why generation stopped, in OpenAI's vocabulary: `stop`, `length`, `content_filter`, `tool_calls`.
    public var finishReason: String
    /// The provider kind that answered (`openai`, `bedrock`, `offline`, ...).
    public var provider: String
    /// True when the gateway answered from its cache without calling a provider.
    public var cached: Bool = false

    public init(
        text: String, model: String, usage: LLMUsage, finishReason: String, provider: String, cached: Bool = false
    ) {
        self.text = text
        self.model = model
        self.usage = usage
        self.finishReason = finishReason
        self.provider = provider
        self.cached = cached
    }
}

/// One event of a streamed generation: text as it comes, then exactly one `finished` at the end.
public enum LLMStreamEvent: Sendable, Hashable {
    case delta(String)
    /// The whole response (its text is everything the deltas carried), with the final usage.
    case finished(LLMResponse)
}
