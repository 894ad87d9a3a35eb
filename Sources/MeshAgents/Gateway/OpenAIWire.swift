import Foundation

// OpenAI's chat-completions shapes, used both to call OpenAI-compatible providers and to serve
// `POST /v1/chat/completions`. Field names follow https://platform.openai.com/docs/api-reference/chat.

/// The request body of `POST /v1/chat/completions`.
struct OpenAIChatRequest: Codable, Sendable {
    struct Message: Codable, Sendable {
        var role: String
        var content: OpenAIContent
    }
    struct StreamOptions: Codable, Sendable {
        var includeUsage: Bool
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }
    var model: String?
    var messages: [Message]
    var temperature: Double?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var stream: Bool?
    var streamOptions: StreamOptions?
    var user: String?

    enum CodingKeys: String, CodingKey {
        case model, messages, temperature, stream, user
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case streamOptions = "stream_options"
    }

    init(_ request: LLMRequest, model: String, stream: Bool) {
        self.model = model
        messages = request.messages.map { Message(role: $0.role.rawValue, content: .text($0.content)) }
        temperature = request.temperature
        maxTokens = request.maxTokens
        self.stream = stream
        // Without include_usage a stream carries no token counts, and the gateway could not account for it.
        streamOptions = stream ? StreamOptions(includeUsage: true) : nil
    }
}

/// A message's content: a string, or an array of typed parts of which the text parts count.
enum OpenAIContent: Codable, Sendable {
    case text(String)
    case parts([Part])

    struct Part: Codable, Sendable {
        var type: String
        var text: String?
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if container.decodeNil() {
            self = .text("")
        } else {
            self = .parts(try container.decode([Part].self))
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .parts(let parts): try container.encode(parts)
        }
    }

    var text: String {
        switch self {
        case .text(let text): text
        case .parts(let parts): parts.compactMap { $0.type == "text" ? $0.text : nil }.joined()
        }
    }
}

struct OpenAIUsage: Codable, Sendable {
    var promptTokens: Int
    var completionTokens: Int
    var totalTokens: Int?

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
    }

    init(_ usage: LLMUsage) {
        promptTokens = usage.inputTokens
        completionTokens = usage.outputTokens
        totalTokens = usage.totalTokens
    }
}

/// The answer of a non-streamed chat completion (`object: chat.completion`).
struct OpenAIChatResponse: Codable, Sendable {
    struct Choice: Codable, Sendable {
        struct Message: Codable, Sendable {
            var role: String
            var content: String?
        }
        var index: Int
        var message: Message
        var finishReason: String?
        enum CodingKeys: String, CodingKey {
            case index, message
            case finishReason = "finish_reason"
        }
    }
    var id: String?
    var object: String?
    var created: Int?
    var model: String?
    var choices: [Choice]
    var usage: OpenAIUsage?
}

/// One streamed event (`object: chat.completion.chunk`); the last one before `[DONE]` carries usage.
struct OpenAIChatChunk: Codable, Sendable {
    struct Choice: Codable, Sendable {
        struct Delta: Codable, Sendable {
            var role: String?
            var content: String?
        }
        var index: Int
        var delta: Delta?
        var finishReason: String?
        enum CodingKeys: String, CodingKey {
            case index, delta
            case finishReason = "finish_reason"
        }
    }
    struct ErrorBody: Codable, Sendable {
        var message: String
    }
    var id: String?
    var object: String?
    var created: Int?
    var model: String?
    var choices: [Choice]?
    var usage: OpenAIUsage?
    var error: ErrorBody?
}

/// OpenAI's error body: `{"error": {"message", "type", "param", "code"}}`.
struct OpenAIErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var message: String
        var type: String
        var param: String?
        var code: String?
    }
    var error: Detail
}
