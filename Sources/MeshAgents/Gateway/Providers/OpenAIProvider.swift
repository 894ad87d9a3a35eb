import A2AClient
import AsyncHTTPClient
import Foundation
import NIOCore

/// OpenAI-compatible `POST /v1/chat/completions` (OpenAI, Ollama, vLLM, llama.cpp's server).
public struct OpenAIProvider: LLMProvider {
    public let kind = "openai"
    public let defaultModel: String
    /// The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434`; `/v1` is added when missing.
    public let baseURL: String
    let apiKey: Secret?
    let http: ProviderHTTP

    public init(baseURL: String, apiKey: Secret?, defaultModel: String, client: HTTPClient) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.defaultModel = defaultModel
        self.http = ProviderHTTP(client: client, provider: "openai", secrets: apiKey.map { [$0.value] } ?? [])
    }

    var url: String {
        let root = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        return root.hasSuffix("/v1") ? root + "/chat/completions" : root + "/v1/chat/completions"
    }

    var headers: [(String, String)] {
        var headers = [("Content-Type", "application/json")]
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey.value)")) }
        return headers
    }

    public func complete(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMResponse {
        let body = OpenAIChatRequest(request, model: model, stream: false)
        let answer = try await http.postJSON(
            url, headers: headers, body: ProviderHTTP.encode(body), deadline: deadline, as: OpenAIChatResponse.self)
        guard let choice = answer.choices.first else {
            throw LLMProviderError(provider: kind, .malformed("no choices in the answer"))
        }
        return LLMResponse(
            text: choice.message.content ?? "", model: answer.model ?? model,
            usage: LLMUsage(inputTokens: answer.usage?.promptTokens ?? 0, outputTokens: answer.usage?.completionTokens ?? 0),
            finishReason: choice.finishReason ?? "stop", provider: kind)
    }

    public func stream(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMEventStream {
        let body = OpenAIChatRequest(request, model: model, stream: true)
        let response = try await http.post(url, headers: headers, body: ProviderHTTP.encode(body), deadline: deadline)
        return LLMEventStream(
            body: response.body, decoder: SSEStreamDecoder(OpenAIStreamHandler(model: model)), provider: kind)
    }
}

/// Reads `chat.completion.chunk` events until `data: [DONE]`.
struct OpenAIStreamHandler: SSEEventHandler {
    var model: String
    var usage = LLMUsage()
    var finishReason = "stop"
    var isComplete = false

    mutating func handle(_ event: ServerSentEvent) throws -> [String] {
        if event.data == "[DONE]" {
            isComplete = true
            return []
        }
        let chunk: OpenAIChatChunk
        do {
            chunk = try JSONDecoder().decode(OpenAIChatChunk.self, from: Data(event.data.utf8))
        } catch {
            throw LLMProviderError(provider: "openai", .malformed("stream chunk: \(error)"))
        }
        if let message = chunk.error?.message {
            throw LLMProviderError(provider: "openai", .http(status: 500, message: message, retryAfter: nil))
        }
        if let name = chunk.model { model = name }
        if let reported = chunk.usage {
            usage = LLMUsage(inputTokens: reported.promptTokens, outputTokens: reported.completionTokens)
        }
        if let reason = chunk.choices?.first?.finishReason { finishReason = reason }
        return chunk.choices?.compactMap { $0.delta?.content } ?? []
    }

    func response(text: String) throws -> LLMResponse {
        LLMResponse(text: text, model: model, usage: usage, finishReason: finishReason, provider: "openai")
    }
}
