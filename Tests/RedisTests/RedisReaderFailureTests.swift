import NIOCore
import NIOPosix
import Redis
import Testing

/// A server that answers the first command with `+OK` and the second with bytes that are not RESP.
private final class GarbageReplyHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = String(buffer: unwrapInboundIn(data))
        let reply = bytes.contains("AUTH") ? "+OK\r\n" : "!not-resp\r\n"
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: reply)), promise: nil)
    }
}

@Suite("Redis reader errors close the connection")
struct RedisReaderFailureTests {
    @Test func invalidReplyFailsCommandAndClosesConnection() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(GarbageReplyHandler())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let connection = try await RedisConnection.connect(
            configuration: RedisConfiguration(host: "127.0.0.1", port: port, password: "secret"))
        await expectRedisError {
            _ = try await connection.run(RedisCommand("GET", "key"))
        } _: { error in
            guard case .protocolError(let detail) = error else {
                Issue.record("got \(error)")
                return
            }
            #expect(detail.contains("reply type byte"))
        }
        // The close runs on the connection's event loop; under the parallel suite's load it can take a while.
        let deadline = ContinuousClock.now + .seconds(5)
        while connection.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!connection.isActive)
        await expectRedisError {
            _ = try await connection.run(RedisCommand("PING"))
        } _: { error in
            guard case .protocolError = error else {
                Issue.record("got \(error)")
                return
            }
        }
        try await server.close()
    }
}
