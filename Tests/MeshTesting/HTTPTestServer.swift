import Foundation
import Hummingbird
import Logging
import Synchronization

/// One request an ``HTTPTestServer`` received.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The path and query, as sent.
    public var uri: String
    /// Header names lowercased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: Data

    /// The value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// What an ``HTTPTestServer`` answers: a status, a content type, and a body sent in chunks.
public struct ScriptedResponse: Sendable {
    public var status: Int
    public var contentType: String?
    public var chunks: [String]
    /// The pause before each chunk after the first, to make the client read a body in pieces.
    public var chunkDelay: Duration

    public init(status: Int = 200, contentType: String? = nil, chunks: [String] = [], chunkDelay: Duration = .zero) {
        self.status = status
        self.contentType = contentType
        self.chunks = chunks
        self.chunkDelay = chunkDelay
    }

    /// A JSON body (`application/json` unless told otherwise).
    public static func json(_ body: String, status: Int = 200, contentType: String = "application/json") -> Self {
        ScriptedResponse(status: status, contentType: contentType, chunks: [body])
    }

    /// A `text/event-stream` body written chunk by chunk.
    public static func eventStream(_ chunks: [String], chunkDelay: Duration = .milliseconds(5)) -> Self {
        ScriptedResponse(status: 200, contentType: "text/event-stream", chunks: chunks, chunkDelay: chunkDelay)
    }
}

/// A loopback HTTP server for tests: it records every request and answers with a scripted response.
///
/// Use it as a webhook receiver, or as a fake agent to check what a client sends.
public final class HTTPTestServer: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    private let recorded: RequestLog

    private init(port: Int, recorded: RequestLog) {
        self.port = port
        self.recorded = recorded
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far, oldest first.
    public var requests: [RecordedRequest] { recorded.entries.withLock { $0 } }

    /// Waits until at least `count` requests (that match `filter`) have arrived, and returns them.
    public func waitForRequests(
        count: Int, timeout: Duration = .seconds(10), where filter: @Sendable (RecordedRequest) -> Bool = { _ in true }
    ) async throws -> [RecordedRequest] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let matching = requests.filter(filter)
            if matching.count >= count || ContinuousClock.now >= deadline { return matching }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Runs a server on a free loopback port for the duration of `body`.
    public static func withServer<Result: Sendable>(
        respond: @escaping @Sendable (RecordedRequest) -> ScriptedResponse = { _ in ScriptedResponse(status: 200) },
        _ body: (HTTPTestServer) async throws -> Result
    ) async throws -> Result {
        let recorded = RequestLog()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            var buffer = try await request.collectBody(upTo: 8 << 20)
            var headers: [String: String] = [:]
            for field in request.headers {
                let name = field.name.canonicalName
                headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
            }
            let record = RecordedRequest(
                method: request.method.rawValue, uri: request.uri.description, headers: headers,
                body: buffer.readData(length: buffer.readableBytes) ?? Data())
            recorded.entries.withLock { $0.append(record) }
            return makeResponse(respond(record))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        // Stopping by cancellation makes the server log errors about its child channels; they are expected here.
        var logger = Logger(label: "mesh.test-server")
        logger.logLevel = .critical
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var port = 0
            for await value in ports {
                port = value
                break
            }
            let server = HTTPTestServer(port: port, recorded: recorded)
            do {
                let result = try await body(server)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    private static func makeResponse(_ scripted: ScriptedResponse) -> Response {
        var headers = HTTPFields()
        if let contentType = scripted.contentType { headers[.contentType] = contentType }
        let chunks = scripted.chunks
        let delay = scripted.chunkDelay
        let body = ResponseBody { writer in
            for (index, chunk) in chunks.enumerated() {
                if index > 0, delay > .zero { try await Task.sleep(for: delay) }
                try await writer.write(ByteBuffer(string: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .init(code: scripted.status), headers: headers, body: body)
    }
}

private final class RequestLog: Sendable {
    let entries = Mutex<[RecordedRequest]>([])
}
