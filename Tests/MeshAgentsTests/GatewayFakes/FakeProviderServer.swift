import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// One request a fake provider received.
struct ProviderCall: Sendable {
    var method: String
    var path: String
    /// Header names lowercased.
    var headers: [String: String]
    var body: Data

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:] }
}

/// What a fake provider answers: status, headers, and a body written in chunks (bytes, for binary framing).
struct FakeReply: Sendable {
    var status = 200
    var headers: [String: String] = [:]
    var chunks: [[UInt8]] = []
    var chunkDelay: Duration = .milliseconds(2)
    /// How long the fake thinks before it answers (a slow model).
    var delay: Duration = .zero

    static func json(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> FakeReply {
        FakeReply(status: status, headers: ["content-type": "application/json"].merging(headers) { $1 }, chunks: [Array(text.utf8)])
    }

    static func sse(_ events: [String]) -> FakeReply {
        FakeReply(headers: ["content-type": "text/event-stream"], chunks: events.map { Array($0.utf8) })
    }
}

/// A loopback HTTP server playing a model provider: it records each call and answers with `respond`.
final class FakeProviderServer: Sendable {
    let port: Int
    private let log: CallLog

    private init(port: Int, log: CallLog) {
        self.port = port
        self.log = log
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var calls: [ProviderCall] { log.calls.withLock { $0 } }
    /// The most calls that were being answered at the same time.
    var maxInFlight: Int { log.inFlight.withLock { $0.max } }

    static func with<Result: Sendable>(
        respond: @escaping @Sendable (ProviderCall, Int) -> FakeReply, _ body: (FakeProviderServer) async throws -> Result
    ) async throws -> Result {
        let log = CallLog()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            var buffer = try await request.collectBody(upTo: 8 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            // HTTP types carry Host as the request's authority.
            if let authority = request.head.authority { headers["host"] = authority }
            let call = ProviderCall(
                method: request.method.rawValue, path: request.uri.description, headers: headers,
                body: buffer.readData(length: buffer.readableBytes) ?? Data())
            let index = log.calls.withLock { calls in
                calls.append(call)
                return calls.count - 1
            }
            let reply = respond(call, index)
            log.inFlight.withLock { state in
                state.now += 1
                state.max = max(state.max, state.now)
            }
            defer { log.inFlight.withLock { $0.now -= 1 } }
            if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
            var fields = HTTPFields()
            for (name, value) in reply.headers { fields[HTTPField.Name(name)!] = value }
            return Response(
                status: .init(code: reply.status), headers: fields,
                body: ResponseBody { writer in
                    for (offset, chunk) in reply.chunks.enumerated() {
                        if offset > 0 { try await Task.sleep(for: reply.chunkDelay) }
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                    try await writer.finish(nil)
                })
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-provider")
        logger.logLevel = .critical
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var port = 0
            for await value in ports { port = value }
            let server = FakeProviderServer(port: port, log: log)
            defer { group.cancelAll() }
            return try await body(server)
        }
    }
}

/// The calls a fake received, oldest first.
final class CallLog: Sendable {
    let calls = Mutex<[ProviderCall]>([])
    let inFlight = Mutex<(now: Int, max: Int)>((0, 0))
}
