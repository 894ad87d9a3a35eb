import A2AClient
import AsyncHTTPClient
import Foundation
import NIOCore

/// Anthropic's Messages API: `POST /v1/messages` with `x-api-key` and `anthropic-version`.
public struct AnthropicProvider: LLMProvider {
    public let kind = "anthropic"
    public let defaultModel: String
    public let baseURL: String
    let apiKey: Secret
    let version: String
    let http: ProviderHTTP

    public init(
        baseURL: String = "https://api.anthropic.com", apiKey: Secret, version: String = "2023-06-01",
        defaultModel: String, client: HTTPClient
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.version = version
        self.defaultModel = defaultModel
        self.http = ProviderHTTP(client: client, provider: "anthropic", secrets: [apiKey.value])
    }

    var headers: [(String, String)] {
        [("Content-Type", "application/json"), ("x-api-key", apiKey.value), ("anthropic-version", version)]
    }

    struct Body: Encodable {
        struct Message: Encodable {
            var role: String
            var content: String
        }
        var model: String
        var maxTokens: Int
        var system: String?
        var messages: [Message]
        var temperature: Double?
        var stream: Bool?
        enum CodingKeys: String, CodingKey {
            case model, system, messages, temperature, stream
            case maxTokens = "max_tokens"
        }
    }

    func body(_ request: LLMRequest, model: String, stream: Bool) -> Data {
        // max_tokens is required by the Messages API.
        ProviderHTTP.encode(
            Body(
                model: model, maxTokens: request.maxTokens ?? 1024, system: request.systemPrompt,
                messages: request.turns.map { Body.Message(role: $0.role.rawValue, content: $0.content) },
                temperature: request.temperature, stream: stream ? true : nil))
    }

    struct Answer: Decodable {
        struct Block: Decodable {
            var type: String
            var text: String?
        }
        struct Usage: Decodable {
            var inputTokens: Int?
            var outputTokens: Int?
            enum CodingKeys: String, CodingKey {
                case inputTokens = "input_tokens"
                case outputTokens = "output_tokens"
            }
        }
        var model: String?
        var content: [Block]?
        var stopReason: String?
        var usage: Usage?
        enum CodingKeys: String, CodingKey {
            case model, content, usage
            case stopReason = "stop_reason"
        }
    }

    public func complete(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMResponse {
        let answer = try await http.postJSON(
            baseURL + "/v1/messages", headers: headers, body: body(request, model: model, stream: false),
            deadline: deadline, as: Answer.self)
        return LLMResponse(
            text: (answer.content ?? []).compactMap { $0.type == "text" ? $0.text : nil }.joined(),
            model: answer.model ?? model,
            usage: LLMUsage(inputTokens: answer.usage?.inputTokens ?? 0, outputTokens: answer.usage?.outputTokens ?? 0),
            finishReason: Self.finishReason(answer.stopReason), provider: kind)
    }

    public func stream(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMEventStream {
        let response = try await http.post(
            baseURL + "/v1/messages", headers: headers, body: body(request, model: model, stream: true), deadline: deadline)
        return LLMEventStream(
            body: response.body, decoder: SSEStreamDecoder(AnthropicStreamHandler(model: model)), provider: kind)
    }

    /// Anthropic's `stop_reason` in OpenAI's vocabulary.
    static func finishReason(_ stopReason: String?) -> String {
        switch stopReason {
        case "max_tokens": "length"
        case "tool_use": "tool_calls"
        case "refusal": "content_filter"
        default: "stop"
        }
    }
}

/// Reads `message_start`, `content_block_delta`, `message_delta` and `message_stop`; `error` events throw.
struct AnthropicStreamHandler: SSEEventHandler {
    struct Event: Decodable {
        struct Delta: Decodable {
            var type: String?
            var text: String?
            var stopReason: String?
            enum CodingKeys: String, CodingKey {
                case type, text
                case stopReason = "stop_reason"
            }
        }
        struct ErrorBody: Decodable {
            var type: String
            var message: String
        }
        var type: String
        var message: AnthropicProvider.Answer?
        var delta: Delta?
        var usage: AnthropicProvider.Answer.Usage?
        var error: ErrorBody?
    }

    var model: String
    var usage = LLMUsage()
    var stopReason: String?
    var isComplete = false

    mutating func handle(_ event: ServerSentEvent) throws -> [String] {
        let decoded: Event
        do {
            decoded = try JSONDecoder().decode(Event.self, from: Data(event.data.utf8))
        } catch {
            throw LLMProviderError(provider: "anthropic", .malformed("stream event: \(error)"))
        }
        switch decoded.type {
        case "message_start":
            if let name = decoded.message?.model { model = name }
            usage.inputTokens = decoded.message?.usage?.inputTokens ?? 0
            usage.outputTokens = decoded.message?.usage?.outputTokens ?? 0
        case "content_block_delta" where decoded.delta?.type == "text_delta":
            return [decoded.delta?.text ?? ""]
        case "message_delta":
            stopReason = decoded.delta?.stopReason ?? stopReason
            if let output = decoded.usage?.outputTokens { usage.outputTokens = output }
        case "message_stop":
            isComplete = true
        case "error":
            let status = decoded.error?.type == "overloaded_error" ? 529 : 500
            throw LLMProviderError(
                provider: "anthropic",
                .http(status: status, message: "\(decoded.error?.type ?? "error"): \(decoded.error?.message ?? "")", retryAfter: nil))
        default:
            break
        }
        return []
    }

    func response(text: String) throws -> LLMResponse {
        LLMResponse(
            text: text, model: model, usage: usage, finishReason: AnthropicProvider.finishReason(stopReason),
            provider: "anthropic")
    }
}
