import AsyncHTTPClient
import CloudMap
import Foundation
import NIOCore

/// Amazon Bedrock's Converse and ConverseStream APIs, SigV4-signed for the service `bedrock`.
public struct BedrockProvider: LLMProvider {
    public let kind = "bedrock"
    public let defaultModel: String
    /// `https://bedrock-runtime.<region>.amazonaws.com` unless an endpoint is given.
    public let endpoint: String
    let signer: SigV4Signer
    let http: ProviderHTTP

    public init(
        region: String, credentials: AWSCredentials, endpoint: String? = nil, defaultModel: String, client: HTTPClient
    ) {
        let endpoint = endpoint ?? "https://bedrock-runtime.\(region).amazonaws.com"
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.defaultModel = defaultModel
        self.signer = SigV4Signer(credentials: credentials, region: region, service: "bedrock")
        self.http = ProviderHTTP(
            client: client, provider: "bedrock",
            secrets: [credentials.secretAccessKey] + (credentials.sessionToken.map { [$0] } ?? []))
    }

    struct ContentBlock: Codable { var text: String? }
    struct Body: Encodable {
        struct Message: Encodable {
            var role: String
            var content: [ContentBlock]
        }
        struct InferenceConfig: Encodable {
            var maxTokens: Int?
            var temperature: Double?
        }
        var messages: [Message]
        var system: [ContentBlock]?
        var inferenceConfig: InferenceConfig?
    }
    struct Usage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?
    }
    struct Answer: Decodable {
        struct Output: Decodable {
            struct Message: Decodable { var content: [ContentBlock]? }
            var message: Message?
        }
        var output: Output?
        var stopReason: String?
        var usage: Usage?
    }

    func body(_ request: LLMRequest) -> Data {
        let config = Body.InferenceConfig(maxTokens: request.maxTokens, temperature: request.temperature)
        return ProviderHTTP.encode(
            Body(
                messages: request.turns.map { Body.Message(role: $0.role.rawValue, content: [ContentBlock(text: $0.content)]) },
                system: request.systemPrompt.map { [ContentBlock(text: $0)] },
                inferenceConfig: config.maxTokens == nil && config.temperature == nil ? nil : config))
    }

    /// The URL and signed headers of `POST /model/{modelId}/{operation}`.
    func signedRequest(model: String, operation: String, body: Data) throws -> (url: String, headers: [(String, String)]) {
        guard let components = URLComponents(string: endpoint), let host = components.host else {
            throw LLMProviderError(provider: kind, .notConfigured("the endpoint '\(endpoint)' is not a URL"))
        }
        let defaultPort = components.scheme == "https" ? 443 : 80
        let hostHeader = components.port.map { $0 == defaultPort ? host : "\(host):\($0)" } ?? host
        // The model id goes into the path encoded once (`:` → `%3A`); the signer encodes the path again, as
        // SigV4 requires for every service but S3.
        let path = components.path + "/model/\(SigV4Signer.uriEncode(model))/\(operation)"
        var headers = [("host", hostHeader), ("content-type", "application/json")]
        headers += signer.sign(SigV4Signer.Request(method: "POST", path: path, headers: headers, body: body))
        headers.removeFirst()  // AsyncHTTPClient writes Host itself, with the same value.
        headers.append(("accept", operation == "converse" ? "application/json" : "application/vnd.amazon.eventstream"))
        return ("\(components.scheme ?? "https")://\(hostHeader)\(path)", headers)
    }

    public func complete(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMResponse {
        let body = body(request)
        let (url, headers) = try signedRequest(model: model, operation: "converse", body: body)
        let answer = try await http.postJSON(url, headers: headers, body: body, deadline: deadline, as: Answer.self)
        return LLMResponse(
            text: answer.output?.message?.content?.compactMap(\.text).joined() ?? "", model: model,
            usage: LLMUsage(inputTokens: answer.usage?.inputTokens ?? 0, outputTokens: answer.usage?.outputTokens ?? 0),
            finishReason: Self.finishReason(answer.stopReason), provider: kind)
    }

    public func stream(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMEventStream {
        let body = body(request)
        let (url, headers) = try signedRequest(model: model, operation: "converse-stream", body: body)
        let response = try await http.post(url, headers: headers, body: body, deadline: deadline)
        return LLMEventStream(body: response.body, decoder: BedrockStreamDecoder(model: model), provider: kind)
    }

    /// Bedrock's `stopReason` in OpenAI's vocabulary.
    static func finishReason(_ reason: String?) -> String {
        switch reason {
        case "max_tokens": "length"
        case "tool_use": "tool_calls"
        case "guardrail_intervened", "content_filtered": "content_filter"
        default: "stop"
        }
    }
}

/// ConverseStream's events (`messageStart`, `contentBlockDelta`, `messageStop`, `metadata`) out of the
/// event-stream framing; `exception` messages throw.
struct BedrockStreamDecoder: StreamChunkDecoder {
    struct Payload: Decodable {
        struct Delta: Decodable { var text: String? }
        var delta: Delta?
        var stopReason: String?
        var usage: BedrockProvider.Usage?
        var message: String?
    }
    var model: String
    var framing = AWSEventStreamDecoder()
    var text = ""
    var usage = LLMUsage()
    var stopReason: String?
    var finished = false

    mutating func feed(_ bytes: ByteBufferView) throws -> [LLMStreamEvent] {
        let messages: [AWSEventStreamMessage]
        do {
            messages = try framing.feed(bytes)
        } catch {
            throw LLMProviderError(provider: "bedrock", .malformed("event stream: \(error)"))
        }
        var events: [LLMStreamEvent] = []
        for message in messages where !finished {
            let payload = try? JSONDecoder().decode(Payload.self, from: Data(message.payload))
            switch message.headers[":message-type"] {
            case "exception", "error":
                let type = message.headers[":exception-type"] ?? message.headers[":error-code"] ?? "error"
                let status = type == "throttlingException" ? 429 : type == "validationException" ? 400 : 500
                let text = payload?.message ?? message.headers[":error-message"] ?? ""
                throw LLMProviderError(provider: "bedrock", .http(status: status, message: "\(type): \(text)", retryAfter: nil))
            default:
                switch message.headers[":event-type"] {
                case "contentBlockDelta":
                    if let delta = payload?.delta?.text, !delta.isEmpty {
                        text += delta
                        events.append(.delta(delta))
                    }
                case "messageStop":
                    stopReason = payload?.stopReason
                case "metadata":
                    // metadata is the last event of a ConverseStream.
                    usage = LLMUsage(inputTokens: payload?.usage?.inputTokens ?? 0, outputTokens: payload?.usage?.outputTokens ?? 0)
                    finished = true
                    events.append(.finished(response))
                default:
                    break
                }
            }
        }
        return events
    }

    mutating func finish() throws -> [LLMStreamEvent] {
        guard !finished else { return [] }
        guard stopReason != nil else {
            throw LLMProviderError(provider: "bedrock", .malformed("the stream ended before messageStop"))
        }
        finished = true
        return [.finished(response)]
    }

    var response: LLMResponse {
        LLMResponse(
            text: text, model: model, usage: usage, finishReason: BedrockProvider.finishReason(stopReason), provider: "bedrock")
    }
}
