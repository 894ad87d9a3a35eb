import A2AClient
import AsyncHTTPClient
import CloudMap
import Foundation
import NIOCore

/// The Generative Language API: `models/{model}:generateContent` and `:streamGenerateContent?alt=sse`,
/// with the key in `x-goog-api-key` (never in the URL, where it would end up in access logs).
public struct GeminiProvider: LLMProvider {
    public let kind = "gemini"
    public let defaultModel: String
    public let baseURL: String
    let apiKey: Secret
    let http: ProviderHTTP

    public init(
        baseURL: String = "https://generativelanguage.googleapis.com/v1beta", apiKey: Secret, defaultModel: String,
        client: HTTPClient
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.defaultModel = defaultModel
        self.http = ProviderHTTP(client: client, provider: "gemini", secrets: [apiKey.value])
    }

    var headers: [(String, String)] { [("Content-Type", "application/json"), ("x-goog-api-key", apiKey.value)] }

    struct Content: Codable {
        struct Part: Codable { var text: String? }
        var role: String?
        var parts: [Part]?
    }
    struct Body: Encodable {
        struct GenerationConfig: Encodable {
            var temperature: Double?
            var maxOutputTokens: Int?
        }
        var contents: [Content]
        var systemInstruction: Content?
        var generationConfig: GenerationConfig?
    }
    /// `GenerateContentResponse`; a streamed body is a sequence of them.
    struct Answer: Decodable {
        struct Candidate: Decodable {
            var content: Content?
            var finishReason: String?
        }
        struct UsageMetadata: Decodable {
            var promptTokenCount: Int?
            var candidatesTokenCount: Int?
        }
        var candidates: [Candidate]?
        var usageMetadata: UsageMetadata?
        var modelVersion: String?

        var text: String { candidates?.first?.content?.parts?.compactMap(\.text).joined() ?? "" }
    }

    func body(_ request: LLMRequest) -> Data {
        let config = Body.GenerationConfig(temperature: request.temperature, maxOutputTokens: request.maxTokens)
        return ProviderHTTP.encode(
            Body(
                contents: request.turns.map {
                    Content(role: $0.role == .assistant ? "model" : "user", parts: [.init(text: $0.content)])
                },
                systemInstruction: request.systemPrompt.map { Content(role: nil, parts: [.init(text: $0)]) },
                generationConfig: config.temperature == nil && config.maxOutputTokens == nil ? nil : config))
    }

    func url(_ model: String, _ method: String) -> String {
        "\(baseURL)/models/\(SigV4Signer.uriEncode(model)):\(method)"
    }

    public func complete(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMResponse {
        let answer = try await http.postJSON(
            url(model, "generateContent"), headers: headers, body: body(request), deadline: deadline, as: Answer.self)
        guard answer.candidates?.isEmpty == false else {
            throw LLMProviderError(provider: kind, .malformed("no candidates in the answer (blocked prompt?)"))
        }
        return LLMResponse(
            text: answer.text, model: answer.modelVersion ?? model,
            usage: LLMUsage(
                inputTokens: answer.usageMetadata?.promptTokenCount ?? 0,
                outputTokens: answer.usageMetadata?.candidatesTokenCount ?? 0),
            finishReason: Self.finishReason(answer.candidates?.first?.finishReason), provider: kind)
    }

    public func stream(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMEventStream {
        let response = try await http.post(
            url(model, "streamGenerateContent") + "?alt=sse", headers: headers, body: body(request), deadline: deadline)
        return LLMEventStream(
            body: response.body, decoder: SSEStreamDecoder(GeminiStreamHandler(model: model)), provider: kind)
    }

    /// Gemini's `finishReason` in OpenAI's vocabulary.
    static func finishReason(_ reason: String?) -> String {
        switch reason {
        case "MAX_TOKENS": "length"
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII": "content_filter"
        default: "stop"
        }
    }
}

/// Each event's data is a whole `GenerateContentResponse`; the body's end is the stream's end.
struct GeminiStreamHandler: SSEEventHandler {
    var model: String
    var usage = LLMUsage()
    var finishReason: String?
    let isComplete = false

    mutating func handle(_ event: ServerSentEvent) throws -> [String] {
        let answer: GeminiProvider.Answer
        do {
            answer = try JSONDecoder().decode(GeminiProvider.Answer.self, from: Data(event.data.utf8))
        } catch {
            throw LLMProviderError(provider: "gemini", .malformed("stream chunk: \(error)"))
        }
        if let version = answer.modelVersion { model = version }
        // usageMetadata is cumulative: the last chunk's figures are the totals.
        if let metadata = answer.usageMetadata {
            usage = LLMUsage(
                inputTokens: metadata.promptTokenCount ?? usage.inputTokens,
                outputTokens: metadata.candidatesTokenCount ?? usage.outputTokens)
        }
        if let reason = answer.candidates?.first?.finishReason { finishReason = reason }
        return [answer.text]
    }

    func response(text: String) throws -> LLMResponse {
        LLMResponse(
            text: text, model: model, usage: usage, finishReason: GeminiProvider.finishReason(finishReason),
            provider: "gemini")
    }
}
