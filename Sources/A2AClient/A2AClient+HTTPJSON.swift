import A2A
import Foundation

extension A2AClient {
    /// The HTTP exchange of `route` below the endpoint URL.
    static func httpJSONRequest(base: String, route: HTTPJSONRoute) -> WireRequest {
        WireRequest(
            method: route.method, url: route.url(base: base), contentType: A2AProtocol.mediaType, body: route.body,
            accept: route.streaming ? "text/event-stream" : "\(A2AProtocol.mediaType), application/json")
    }

    /// Performs a unary HTTP+JSON call and decodes its body.
    func httpJSON<Result: Codable & Sendable>(_ route: HTTPJSONRoute, as type: Result.Type) async throws -> Result {
        let wire = Self.httpJSONRequest(base: endpoint.url, route: route)
        logger.debug("a2a call", metadata: ["http.method": "\(route.method)", "http.path": "\(route.path)"])
        let response = try await perform(wire)
        let body = try await readBody(response, url: wire.url)
        return try Self.decodeHTTPJSON(type, status: Int(response.status.code), body: body, url: wire.url)
    }

    /// Reads an HTTP+JSON response: the payload on 2xx, else the `google.rpc.Status` error it carries.
    static func decodeHTTPJSON<Result: Codable & Sendable>(
        _ type: Result.Type, status: Int, body: Data, url: String
    ) throws -> Result {
        guard (200..<300).contains(status) else {
            if let error = try? A2AJSON.decode(HTTPErrorBody.self, from: body) {
                throw A2AClientError.protocolError(error.a2aError)
            }
            throw A2AClientError.httpStatus(code: status, url: url, bodyExcerpt: excerpt(body))
        }
        if let empty = EmptyResponse() as? Result { return empty }
        do {
            return try A2AJSON.decode(type, from: body)
        } catch {
            throw A2AClientError.invalidResponse(url: url, reason: "\(describe(error)); body: \(excerpt(body))")
        }
    }
}
