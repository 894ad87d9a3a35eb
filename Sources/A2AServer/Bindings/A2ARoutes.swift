import A2A
import Foundation
import Hummingbird

/// Puts an agent's A2A surface on a Hummingbird router: the card, JSON-RPC at `POST /`,
/// and the HTTP+JSON binding at the specification's paths.
public struct A2ARoutes: Sendable {
    public let handler: A2ARequestHandler
    public let cardPublisher: AgentCardPublisher

    public init(handler: A2ARequestHandler, cardPublisher: AgentCardPublisher) {
        self.handler = handler
        self.cardPublisher = cardPublisher
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        let publisher = cardPublisher
        router.get(RouterPath(A2AProtocol.agentCardPath)) { request, _ in publisher.response(for: request) }
        let dispatcher = JSONRPCDispatcher(handler: handler)
        let limit = handler.limits.maxBodyBytes
        router.post("/") { request, context -> Response in
            var request = request
            let body: Data
            switch try await request.collectBody(limit: limit) {
            case .success(let data): body = data
            case .failure(let tooLarge): return tooLarge.response
            }
            let reply = await dispatcher.dispatch(
                body: body, version: request.a2aVersion, contentType: request.headers[.contentType],
                call: request.callContext(requestID: context.id))
            return HTTPReplies.reply(reply, contentType: HTTPReplies.jsonContentType)
        }
        HTTPJSONBinding(handler: handler).add(to: router)
    }
}
