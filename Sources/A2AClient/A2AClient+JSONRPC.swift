import A2A
import Foundation

extension A2AClient {
    /// The POST of one JSON-RPC 2.0 call to the endpoint URL.
    static func jsonRPCRequest<Params: Codable & Sendable>(
        url: String, method: A2AMethod, params: Params, id: JSONRPCID = .string(Identifier.make())
    ) throws -> WireRequest {
        let envelope = JSONRPCRequest(id: id, method: method.rawValue, params: params)
        return WireRequest(
            method: "POST", url: url, contentType: "application/json", body: try encodeBody(envelope, url: url),
            accept: method.isStreaming ? "text/event-stream" : "application/json")
    }

    /// Performs a unary JSON-RPC call and returns its `result`.
    func jsonRPC<Params: Codable & Sendable, Result: Codable & Sendable>(
        _ method: A2AMethod, _ params: Params, as type: Result.Type
    ) async throws -> Result {
        let wire = try Self.jsonRPCRequest(url: endpoint.url, method: method, params: params)
        logger.debug("a2a call", metadata: ["a2a.method": "\(method.rawValue)"])
        let response = try await perform(wire)
        let body = try await readBody(response, url: wire.url)
        return try Self.decodeJSONRPC(type, status: Int(response.status.code), body: body, url: wire.url)
    }

    /// Reads a JSON-RPC response body: its result, or its `error` as ``A2AClientError/protocolError(_:)``.
    static func decodeJSONRPC<Result: Codable & Sendable>(
        _ type: Result.Type, status: Int, body: Data, url: String
    ) throws -> Result {
        let envelope: JSONRPCResponse<Result>
        do {
            envelope = try A2AJSON.decode(JSONRPCResponse<Result>.self, from: body)
        } catch {
            guard (200..<300).contains(status) else {
                throw A2AClientError.httpStatus(code: status, url: url, bodyExcerpt: excerpt(body))
            }
            throw A2AClientError.invalidResponse(url: url, reason: "not a JSON-RPC response: \(describe(error))")
        }
        if let error = envelope.error { throw A2AClientError.protocolError(error.a2aError) }
        if let result = envelope.result { return result }
        if let empty = EmptyResponse() as? Result { return empty }
        guard (200..<300).contains(status) else {
            throw A2AClientError.httpStatus(code: status, url: url, bodyExcerpt: excerpt(body))
        }
        throw A2AClientError.invalidResponse(url: url, reason: "the JSON-RPC response has neither result nor error")
    }
}

/// Encodes a request body, reporting a failure as a typed error.
func encodeBody<Value: Encodable>(_ value: Value, url: String) throws -> Data {
    do {
        return try A2AJSON.encode(value)
    } catch {
        throw A2AClientError.invalidRequest("the body for \(url) cannot be encoded: \(error)")
    }
}

/// A one-line account of a decoding failure: where, and what was expected.
func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "" : " at \(keys.hasPrefix(".") ? String(keys.dropFirst()) : keys)"
    }
    switch error {
    case .typeMismatch(let type, let context): return "expected \(type)\(path(context)): \(context.debugDescription)"
    case .valueNotFound(let type, let context): return "missing \(type)\(path(context))"
    case .keyNotFound(let key, let context): return "missing key '\(key.stringValue)'\(path(context))"
    case .dataCorrupted(let context): return "\(context.debugDescription)\(path(context))"
    @unknown default: return "\(error)"
    }
}
