import A2A
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOFoundationCompat

/// Building Hummingbird responses for the A2A bindings.
enum HTTPReplies {
    /// Both bindings answer `application/json`; clients and the conformance kit expect it.
    static let jsonContentType = "application/json"

    /// True for `application/json`, `application/a2a+json` and other `+json` types (parameters ignored).
    static func isJSON(_ contentType: String) -> Bool {
        if contentType == "application/json" { return true }
        let type = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return type == "application/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok, contentType: String) -> Response {
        Response(
            status: status, headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A Server-Sent Events response: each element becomes one `data:` event.
    static func eventStream(_ events: EncodedEvents) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                for try await data in events {
                    var buffer = ByteBuffer()
                    buffer.reserveCapacity(data.count + 8)
                    buffer.writeStaticString("data: ")
                    buffer.writeBytes(data)
                    buffer.writeStaticString("\n\n")
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            })
    }

    static func reply(_ reply: A2AReply, contentType: String) -> Response {
        switch reply {
        case .json(let data): json(data, contentType: contentType)
        case .stream(let events): eventStream(events)
        }
    }

    /// An HTTP+JSON error: the `google.rpc.Status` body with the A2A `ErrorInfo`.
    static func error(_ error: A2AError, status: HTTPResponse.Status? = nil) -> Response {
        var body = HTTPErrorBody(error)
        let status = status ?? HTTPResponse.Status(code: error.kind.httpStatus)
        body.error.code = Int(status.code)
        let data = (try? A2AJSON.encode(body)) ?? Data()
        return json(data, status: status, contentType: jsonContentType)
    }

    /// A plain JSON error for HTTP-level failures (413, 415): `{"error": {"code", "status", "message"}}`.
    static func httpError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = HTTPErrorBody.Status(code: Int(status.code), status: status.reasonPhrase, message: message, details: nil)
        let data = (try? A2AJSON.encode(["error": body])) ?? Data()
        return json(data, status: status, contentType: "application/json")
    }
}

extension Request {
    /// The requested protocol version: the `A2A-Version` header, else the query parameter of that name.
    var a2aVersion: String? {
        if let header = headers[HTTPField.Name(A2AProtocol.versionHeader)!], !header.isEmpty { return header }
        if let query = uri.queryParameters[Substring(A2AProtocol.versionHeader)] { return String(query) }
        return nil
    }

    /// Collects the body, or returns a 413 response naming the limit.
    mutating func collectBody(limit: Int) async throws -> Result<Data, HTTPReplies.TooLarge> {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            return .failure(HTTPReplies.TooLarge(limit: limit))
        }
        do {
            let buffer = try await body.collect(upTo: limit)
            return .success(Data(buffer: buffer, byteTransferStrategy: .noCopy))
        } catch is NIOTooManyBytesError {
            return .failure(HTTPReplies.TooLarge(limit: limit))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return .failure(HTTPReplies.TooLarge(limit: limit))
        }
    }

    /// Facts for the executor about this call.
    func callContext(requestID: String) -> CallContext {
        let extensions = headers[HTTPField.Name(A2AProtocol.extensionsHeader)!]?
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        return CallContext(requestID: requestID, headers: headers, requestedExtensions: extensions)
    }
}

extension HTTPReplies {
    struct TooLarge: Error {
        let limit: Int
        var response: Response {
            HTTPReplies.httpError(.contentTooLarge, "the request body is larger than the limit of \(limit) bytes")
        }
    }
}
