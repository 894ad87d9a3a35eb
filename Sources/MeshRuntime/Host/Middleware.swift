import A2A
import A2AServer
import Foundation
import HTTPTypes
import Hummingbird

/// Gives every request an id (the caller's `X-Request-Id`, or a new one), puts it on the request's log
/// lines, and returns it in the response.
struct RequestIDMiddleware<Context: RequestContext>: RouterMiddleware {
    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id: String
        if let given = request.headers[Self.header], !given.isEmpty, given.count <= 128 {
            // The caller's id replaces Hummingbird's on this request's log lines.
            id = given
            context.logger[metadataKey: "hb.request.id"] = .string(given)
        } else {
            id = context.id
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Error answers (404 from the router, 4xx from handlers) carry the id too.
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.header] = id
        return response
    }
}

/// Refuses a request whose declared body exceeds the limit with 413 and a JSON body naming the limit.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            let body = #"{"error":{"code":413,"status":"Content Too Large","message":"the request body is larger than the limit of \#(limit) bytes"}}"#
            return Response(
                status: .contentTooLarge, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        return try await next(request, context)
    }
}

/// The AgentCore health answer: `Healthy` when idle, `HealthyBusy` while tasks run.
struct PingResponse: ResponseGenerator {
    let runner: AgentRunner

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let health = runner.health
        let body = #"{"status":"\#(health.busy ? "HealthyBusy" : "Healthy")","time_of_last_update":\#(Int(health.since))}"#
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
