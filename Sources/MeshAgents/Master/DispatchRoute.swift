import A2A
import A2AServer
import A2AClient
import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /dispatch`: one A2A message to a live agent with the skill, answered synchronously with that
/// agent's `SendMessageResponse`. The body is `{"skill", "message", "configuration"?}` or a
/// `SendMessageRequest` whose metadata (or message metadata) names the skill. An agent that cannot be
/// reached is routed around, up to the configured attempts.
struct DispatchRoute: Sendable {
    let services: MasterServices
    let httpClient: HTTPClient
    var maxBodyBytes = 1 << 20
    var maxJSONDepth = A2ALimits().maxJSONDepth

    func add(to router: Router<BasicRequestContext>) {
        router.post("/dispatch") { request, _ in await self.dispatch(request) }
    }

    func dispatch(_ request: Request) async -> Response {
        let bytes: Data
        switch await MasterHTTP.checkedBody(request, limit: maxBodyBytes, maxDepth: maxJSONDepth) {
        case .success(let buffer): bytes = Data(buffer.readableBytesView)
        case .failure(let response): return response
        }
        let explicitSkill: JSONValue?
        let sendRequest: SendMessageRequest
        if let (skill, request) = Self.fastRead(bytes) {
            (explicitSkill, sendRequest) = (skill, request)
        } else {
            switch Self.read(bytes) {
            case .success(let read): (explicitSkill, sendRequest) = read
            case .failure(let response): return response
            }
        }
        var message = sendRequest.message
        let skill =
            explicitSkill?.stringValue ?? sendRequest.metadata?["skill"]?.stringValue
            ?? message.metadata?["skill"]?.stringValue
        guard let skill, MasterService.isValidName(skill) else {
            return MasterHTTP.error(
                .badRequest, "invalid_request",
                "name the skill: 'skill' in the body, or 'skill' in the (message) metadata")
        }
        // The agent learns which of its skills is meant, as the pipeline steps tell it.
        var metadata = message.metadata ?? [:]
        metadata["skill"] = .string(skill)
        message.metadata = metadata
        let forwarded = SendMessageRequest(
            message: message, configuration: sendRequest.configuration, metadata: sendRequest.metadata)

        var avoiding = Set<String>()
        var lastFailure = "no live agent offers skill '\(skill)'"
        for _ in 0..<services.settings.maxAttempts {
            guard let agent = services.router.pick(skill, avoiding: avoiding), let card = agent.card else { break }
            defer { services.router.finished(agent.cardURL) }
            do {
                let client = try A2AClient(
                    card: card, configuration: services.caller.clientConfiguration, httpClient: httpClient)
                let response = try await client.sendMessage(forwarded)
                let headers: HTTPFields = [
                    .contentType: "application/json", HTTPField.Name("X-Mesh-Agent")!: agent.name,
                    HTTPField.Name("X-Mesh-Agent-URL")!: agent.cardURL,
                ]
                return Response(
                    status: .ok, headers: headers,
                    body: ResponseBody(byteBuffer: ByteBuffer(data: try A2AJSON.encode(response))))
            } catch A2AClientError.transport(let host, let port, let reason) {
                lastFailure = "\(agent.name) at \(host):\(port) is unreachable: \(reason)"
                avoiding.insert(agent.cardURL)
                services.router.markDown(agent.cardURL)
            } catch A2AClientError.protocolError(let error) {
                return MasterHTTP.error(
                    .badGateway, "agent_error", "\(agent.name) answered with an error: \(error.message)")
            } catch {
                lastFailure = "\(agent.name): \(error)"
                avoiding.insert(agent.cardURL)
            }
        }
        let status: HTTPResponse.Status = avoiding.isEmpty ? .serviceUnavailable : .badGateway
        return MasterHTTP.error(status, avoiding.isEmpty ? "no_agent" : "agent_unreachable", lastFailure)
    }

    /// The body's `skill` and the rest as a SendMessage request, read by the fast reader; nil for anything it
    /// leaves to ``read(_:)`` (which reads the same, and words the errors).
    static func fastRead(_ bytes: Data) -> (skill: JSONValue?, request: SendMessageRequest)? {
        guard let parsed = A2AJSON.fastParse(bytes), parsed.hasDistinctNames,
            let request = try? SendMessageRequest(parsed: parsed)
        else { return nil }
        switch parsed.member("skill") {
        case nil: return (nil, request)
        case .string(let skill)?: return (.string(skill), request)
        default: return nil
        }
    }

    /// The body's `skill` and the rest as a SendMessage request, through `Codable`; or the 400 that says why not.
    static func read(_ bytes: Data) -> MasterHTTP.BodyReading<(skill: JSONValue?, request: SendMessageRequest)> {
        var body: JSONObject
        switch MasterHTTP.object(bytes) {
        case .success(let object): body = object
        case .failure(let response): return .failure(response)
        }
        let skill = body.removeValue(forKey: "skill")
        do {
            return .success(
                (skill, try JSONDecoder().decode(SendMessageRequest.self, from: try JSONEncoder().encode(body))))
        } catch {
            let reason = (error as? DecodingError).map(ChatCompletionsRoute.explain) ?? "\(error)"
            return .failure(
                MasterHTTP.error(.badRequest, "invalid_request", "the body needs 'message', an A2A Message: \(reason)"))
        }
    }
}
