import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection sending one request at a time, for latency measurements.
struct SequentialHTTPClient {
    let host: String
    let port: Int

    /// Connects, runs `body` with a function that sends a request and returns (status, nanoseconds), then closes.
    func withConnection<Result>(
        _ body: (_ send: (_ method: HTTPMethod, _ path: String, _ json: String?) async throws -> (Int, UInt64)) async throws -> Result
    ) async throws -> Result {
        let host = host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            return try await body { method, path, json in
                var headers = HTTPHeaders()
                headers.add(name: "host", value: "\(host):\(port)")
                headers.add(name: "content-type", value: "application/json")
                let payload = json.map { ByteBuffer(string: $0) }
                headers.add(name: "content-length", value: "\(payload?.readableBytes ?? 0)")
                let started = NIODeadline.now()
                try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers)))
                if let payload { try await outbound.write(.body(.byteBuffer(payload))) }
                try await outbound.write(.end(nil))
                var status = 0
                while let part = try await responses.next() {
                    switch part {
                    case .head(let head): status = Int(head.status.code)
                    case .body: break
                    case .end: return (status, UInt64((NIODeadline.now() - started).nanoseconds))
                    }
                }
                throw BenchError.invalidOption("\(host):\(port) closed the connection")
            }
        }
    }
}
