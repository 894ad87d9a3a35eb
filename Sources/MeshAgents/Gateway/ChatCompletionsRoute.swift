import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// `POST /v1/chat/completions` in OpenAI's request and response format, streamed (SSE) or not, for
/// callers that are not A2A agents. The caller is billed as `X-Mesh-Agent` (else the body's `user`), and
/// `X-Mesh-Task` names its task.
public struct ChatCompletionsRoute: Sendable {
    public let gateway: LLMGateway
    /// The largest request body accepted.
    public var maxBodyBytes = 4 << 20

    public init(gateway: LLMGateway) {
        self.gateway = gateway
    }

    public func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/chat/completions") { request, _ in try await self.respond(request) }
    }

    func respond(_ request: Request) async throws -> Response {
        var request = request
        let body: OpenAIChatRequest
        do {
            let buffer = try await request.collectBody(upTo: maxBodyBytes)
            body = try JSONDecoder().decode(OpenAIChatRequest.self, from: buffer)
        } catch let error as DecodingError {
            return Self.error(400, "the body is not a chat completion request: \(Self.explain(error))", param: nil)
        } catch {
            return Self.error(413, "the body is larger than \(maxBodyBytes) bytes", param: nil)
        }
        let input: LLMRequest
        switch Self.validatedInput(body) {
        case .success(let valid): input = valid
        case .failure(let error): return Self.error(400, error.description, param: Self.openAIName(error.field))
        }
        let agent = request.headers[HTTPField.Name("X-Mesh-Agent")!] ?? body.user ?? "anonymous"
        let scope = UsageScope(agent: agent, task: request.headers[HTTPField.Name("X-Mesh-Task")!])
        do {
            if input.stream {
                let events = try await gateway.stream(input, scope: scope)
                return ChatCompletionStream(
                    events: events, includeUsage: body.streamOptions?.includeUsage == true,
                    requestedModel: input.model ?? ""
                ).response()
            }
            let response = try await gateway.complete(input, scope: scope)
            let answer = OpenAIChatResponse(
                id: "chatcmpl-\(UUID().uuidString.lowercased())", object: "chat.completion",
                created: Int(Date().timeIntervalSince1970), model: response.model,
                choices: [
                    .init(
                        index: 0, message: .init(role: "assistant", content: response.text),
                        finishReason: response.finishReason)
                ],
                usage: OpenAIUsage(response.usage))
            return Self.json(200, ProviderHTTP.encode(answer))
        } catch let error as LLMGatewayError {
            return Self.error(
                error.httpStatus, error.description, param: nil,
                type: error.httpStatus == 429 ? "rate_limit_error" : "api_error")
        }
    }

    /// The body as a gateway request; roles outside system/user/assistant (tools) are refused by name.
    static func input(_ body: OpenAIChatRequest) throws(LLMInputError) -> LLMRequest {
        var messages: [ChatMessage] = []
        for (index, message) in body.messages.enumerated() {
            let role: ChatRole
            switch message.role {
            case "system", "developer": role = .system
            case "user": role = .user
            case "assistant": role = .assistant
            default:
                throw LLMInputError(
                    field: "messages[\(index)].role", "'\(message.role)' is not supported by this gateway")
            }
            messages.append(ChatMessage(role: role, content: message.content.text))
        }
        return LLMRequest(
            messages: messages, model: body.model, temperature: body.temperature,
            maxTokens: body.maxCompletionTokens ?? body.maxTokens, stream: body.stream ?? false)
    }

    static func validatedInput(_ body: OpenAIChatRequest) -> Result<LLMRequest, LLMInputError> {
        do {
            let input = try input(body)
            try input.validate()
            return .success(input)
        } catch {
            return .failure(error)
        }
    }

    static func openAIName(_ field: String) -> String { field == "maxTokens" ? "max_tokens" : field }

    static func json(_ status: Int, _ data: Data) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }

    /// OpenAI's error shape: `{"error": {"message", "type", "param", "code"}}`.
    static func error(_ status: Int, _ message: String, param: String?, type: String = "invalid_request_error")
        -> Response
    {
        json(
            status,
            ProviderHTTP.encode(OpenAIErrorBody(error: .init(message: message, type: type, param: param, code: nil))))
    }

    static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            "missing '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "\(error)"
        }
    }
}
