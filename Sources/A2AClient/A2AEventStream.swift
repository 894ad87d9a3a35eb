import A2A
import AsyncHTTPClient
import Foundation
import NIOCore

/// The events of a `SendStreamingMessage` or `SubscribeToTask` call, parsed lazily from the SSE body.
///
/// Iterate it once. Each step reads the response body only as far as the next event. A JSON-RPC `error`
/// or an HTTP+JSON `event: error` ends the sequence with ``A2AClientError/protocolError(_:)``. The sequence
/// finishes when the agent closes the stream, which it does after a terminal or interrupted state.
public struct A2AEventStream: AsyncSequence, Sendable {
    public typealias Element = StreamResponse

    let body: HTTPClientResponse.Body
    let binding: ProtocolBinding
    let url: String
    let timeout: Duration

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: body.makeAsyncIterator(), binding: binding, url: url, timeout: timeout)
    }

    /// Pulls body chunks on demand and hands out one decoded event at a time.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var body: HTTPClientResponse.Body.AsyncIterator
        let binding: ProtocolBinding
        let url: String
        let timeout: Duration
        var parser = ServerSentEventParser()
        var pending: [ServerSentEvent] = []
        var finished = false

        public mutating func next() async throws -> StreamResponse? {
            while !finished {
                if !pending.isEmpty {
                    let event = pending.removeFirst()
                    do {
                        return try Self.decode(event, binding: binding, url: url)
                    } catch {
                        finished = true
                        throw error
                    }
                }
                let chunk: ByteBufferView?
                do {
                    chunk = try await body.next()?.readableBytesView
                } catch {
                    finished = true
                    throw A2AClient.transportError(error, target: try WireURL(url), timeout: timeout)
                }
                guard let chunk else {
                    finished = true
                    break
                }
                pending.append(contentsOf: parser.parse(chunk))
            }
            return nil
        }

        /// One SSE event as a stream response, or the error it carries.
        static func decode(_ event: ServerSentEvent, binding: ProtocolBinding, url: String) throws -> StreamResponse {
            let data = Data(event.data.utf8)
            if binding == .jsonRPC {
                return try A2AClient.decodeJSONRPC(StreamResponse.self, status: 200, body: data, url: url)
            }
            if event.event != "error", let response = try? A2AJSON.decode(StreamResponse.self, from: data) {
                return response
            }
            if let error = try? A2AJSON.decode(HTTPErrorBody.self, from: data) {
                throw A2AClientError.protocolError(error.a2aError)
            }
            do {
                return try A2AJSON.decode(StreamResponse.self, from: data)
            } catch {
                throw A2AClientError.invalidResponse(
                    url: url, reason: "stream event is not a StreamResponse: \(describe(error)); data: \(excerpt(data))"
                )
            }
        }
    }
}

extension A2AClient {
    /// Sends a streaming call and returns its events, or throws the error a JSON (non-SSE) answer carries.
    func openStream(_ wire: WireRequest) async throws -> A2AEventStream {
        let response = try await perform(wire)
        let status = Int(response.status.code)
        if (200..<300).contains(status), response.mediaType == "text/event-stream" {
            return A2AEventStream(
                body: response.body, binding: endpoint.binding, url: wire.url, timeout: configuration.timeout)
        }
        let body = try await readBody(response, url: wire.url)
        if endpoint.binding == .jsonRPC {
            _ = try Self.decodeJSONRPC(StreamResponse.self, status: status, body: body, url: wire.url)
        } else {
            _ = try Self.decodeHTTPJSON(StreamResponse.self, status: status, body: body, url: wire.url)
        }
        throw A2AClientError.invalidResponse(
            url: wire.url,
            reason: "expected text/event-stream, got '\(response.mediaType)' (HTTP \(status)): \(excerpt(body))")
    }
}
