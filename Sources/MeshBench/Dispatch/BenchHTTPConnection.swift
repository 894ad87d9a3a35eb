import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection that sends one request at a time and hands back the whole answer.
struct BenchHTTPConnection: Sendable {
    /// A response with its body and how long the exchange took.
    struct Answer {
        var status: Int
        var body: ByteBuffer
        var nanoseconds: UInt64
    }

    /// The open connection, for one task at a time.
    final class Exchange {
        private let hostHeader: String
        private let headers: [(String, String)]
        private let peer: String
        private var responses: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
        private let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>

        fileprivate init(
            hostHeader: String, headers: [(String, String)], peer: String,
            inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>,
            outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
        ) {
            self.hostHeader = hostHeader
            self.headers = headers
            self.peer = peer
            responses = inbound.makeAsyncIterator()
            self.outbound = outbound
        }

        /// Sends a request (a JSON body when `body` is set) and waits for the whole answer.
        func send(_ method: HTTPMethod, _ path: String, _ body: ByteBuffer? = nil) async throws -> Answer {
            var head = HTTPHeaders()
            head.add(name: "Host", value: hostHeader)
            head.add(name: "Accept", value: "application/json")
            if body != nil { head.add(name: "Content-Type", value: "application/json") }
            head.add(name: "Content-Length", value: "\(body?.readableBytes ?? 0)")
            for (name, value) in headers { head.add(name: name, value: value) }
            let started = NIODeadline.now()
            try await outbound.write(
                .head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: head)))
            if let body { try await outbound.write(.body(.byteBuffer(body))) }
            try await outbound.write(.end(nil))
            var status = 0
            var collected = ByteBuffer()
            while let part = try await responses.next() {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(var chunk): collected.writeBuffer(&chunk)
                case .end:
                    let elapsed = UInt64(max(0, (NIODeadline.now() - started).nanoseconds))
                    return Answer(status: status, body: collected, nanoseconds: elapsed)
                }
            }
            throw BenchError.invalidOption("\(peer) closed the connection")
        }
    }

    let host: String
    let port: Int
    /// Sent with every request, after `Host`, `Accept`, `Content-Type` and `Content-Length`.
    var headers: [(String, String)] = []

    init(host: String, port: Int, headers: [(String, String)] = []) {
        self.host = host
        self.port = port
        self.headers = headers
    }

    init(target: BenchTarget, headers: [(String, String)] = []) {
        self.init(host: target.host, port: target.port, headers: headers)
    }

    /// Connects, runs `body` with the open connection, then closes it.
    func withConnection<Result>(_ body: (Exchange) async throws -> Result) async throws -> Result {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw BenchError.cannotConnect(host: host, port: port, reason: "\(error)")
        }
        let hostHeader = BenchTarget(host: host, port: port).hostHeader
        let (headers, peer) = (headers, "\(host):\(port)")
        return try await channel.executeThenClose { inbound, outbound in
            try await body(
                Exchange(hostHeader: hostHeader, headers: headers, peer: peer, inbound: inbound, outbound: outbound))
        }
    }

    /// One request on a connection of its own, for setup and readiness checks.
    func once(_ method: HTTPMethod, _ path: String, json: String? = nil) async throws -> Answer {
        try await withConnection { exchange in
            try await exchange.send(method, path, json.map { ByteBuffer(string: $0) })
        }
    }
}
