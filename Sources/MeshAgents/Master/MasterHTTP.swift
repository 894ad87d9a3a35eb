import A2A
import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// JSON answers and errors of the master's own routes: `{"error": {"code", "message"}}` for every failure.
enum MasterHTTP {
    static func json(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        let body = (try? MasterStore.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(data: body)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        struct Failure: Encodable {
            struct Detail: Encodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        return json(status, Failure(error: .init(code: code, message: message)))
    }

    static func error(_ failure: MasterRequestError) -> Response {
        switch failure {
        case .invalid(let message): error(.badRequest, "invalid_request", message)
        case .notFound(let message): error(.notFound, "not_found", message)
        case .conflict(let message): error(.conflict, "conflict", message)
        }
    }

    /// The body's bytes once its type, size and depth pass the checks ``objectBody(_:limit:maxDepth:)`` makes,
    /// or the response that says which failed.
    static func checkedBody(_ request: Request, limit: Int, maxDepth: Int) async -> BodyReading<ByteBuffer> {
        var request = request
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            return .failure(
                Self.error(
                    .unsupportedMediaType, "unsupported_media_type", "send the body as application/json, not \(type)"))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            return .failure(Self.error(.contentTooLarge, "body_too_large", "the body is larger than \(limit) bytes"))
        }
        guard buffer.readableBytes > 0 else {
            return .failure(Self.error(.badRequest, "invalid_request", "the body is empty; send a JSON object"))
        }
        if JSONDepth.exceeds(maxDepth, in: buffer.readableBytesView) {
            return .failure(Self.error(.badRequest, "invalid_request", JSONDepth.refusal(limit: maxDepth)))
        }
        return .success(buffer)
    }

    /// The body as a JSON object, or the response that says why it is not one (413, 415, 400; 400 too for a
    /// body nested deeper than `maxDepth`, checked before decoding).
    static func objectBody(_ request: Request, limit: Int, maxDepth: Int = A2ALimits().maxJSONDepth) async
        -> BodyReading<JSONObject>
    {
        let buffer: ByteBuffer
        switch await checkedBody(request, limit: limit, maxDepth: maxDepth) {
        case .success(let bytes): buffer = bytes
        case .failure(let response): return .failure(response)
        }
        return object(Data(buffer.readableBytesView))
    }

    /// `bytes` as a JSON object, or the 400 that says why they are not one.
    static func object(_ bytes: Data) -> BodyReading<JSONObject> {
        do {
            guard case .object(let object) = try A2AJSON.decodeValue(bytes) else {
                return .failure(Self.error(.badRequest, "invalid_request", "the body must be a JSON object"))
            }
            return .success(object)
        } catch {
            return .failure(Self.error(.badRequest, "invalid_request", "the body is not valid JSON"))
        }
    }

    /// What a body reads as, or the response that refuses the request.
    enum BodyReading<Value> {
        case success(Value)
        case failure(Response)
    }

    /// Reads the fields of a task request (`/task`, `/invocations`), refusing unknown ones and wrong types.
    static func submission(_ body: JSONObject, inputKeys: [String] = ["input"], extraKeys: Set<String> = [])
        throws(MasterRequestError) -> TaskSubmission
    {
        let known = Set(inputKeys + ["pipeline", "skill", "contextId", "metadata", "webhook"]).union(extraKeys)
        if let unknown = body.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalid("unknown field '\(unknown)'; expected \(known.sorted().joined(separator: ", "))")
        }
        func string(_ key: String) throws(MasterRequestError) -> String? {
            guard let value = body[key], value != .null else { return nil }
            guard case .string(let text) = value else { throw .invalid("'\(key)' must be a string") }
            return text
        }
        var input: String?
        for key in inputKeys where input == nil { input = try string(key) }
        guard let input else { throw .invalid("missing '\(inputKeys[0])': the text of the task") }
        var metadata: JSONObject?
        if let value = body["metadata"], value != .null {
            guard case .object(let object) = value else { throw .invalid("'metadata' must be an object") }
            metadata = object
        }
        return TaskSubmission(
            input: input, pipeline: try string("pipeline"), skill: try string("skill"),
            contextId: try string("contextId"), metadata: metadata, webhook: try string("webhook"))
    }

    /// One SSE frame.
    static func frame(event: String?, id: String?, data: Data) -> ByteBuffer {
        var buffer = ByteBuffer()
        if let id { buffer.writeString("id: \(id)\n") }
        if let event { buffer.writeString("event: \(event)\n") }
        buffer.writeString("data: ")
        buffer.writeData(data)
        buffer.writeString("\n\n")
        return buffer
    }

    static let eventStreamHeaders: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no",
    ]
}
