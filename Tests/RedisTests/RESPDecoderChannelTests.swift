import NIOCore
import NIOPosix
import Redis
import Testing

/// A server that answers AUTH with `+OK` and anything else with `reply`, one byte per TCP segment.
private final class TrickleReplyHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let reply: [UInt8]

    init(reply: [UInt8]) {
        self.reply = reply
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let request = String(buffer: unwrapInboundIn(data))
        guard !request.contains("AUTH") else {
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "+OK\r\n")), promise: nil)
            return
        }
        let channel = context.channel
        for (index, byte) in reply.enumerated() {
            channel.eventLoop.scheduleTask(in: .milliseconds(Int64(index))) {
                channel.writeAndFlush(channel.allocator.buffer(bytes: [byte]), promise: nil)
            }
        }
    }
}

@Suite("RESP decoder in a channel, fed byte by byte")
struct RESPDecoderChannelTests {
    @Test func nestedReplyArrivingByteByByte() async throws {
        let wire = "*4\r\n$5\r\nbin\r\n\r\n*2\r\n-ERR inside\r\n*0\r\n$-1\r\n*-1\r\n"
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TrickleReplyHandler(reply: Array(wire.utf8)))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let connection = try await RedisConnection.connect(
            configuration: RedisConfiguration(host: "127.0.0.1", port: port, password: "secret"))
        let reply = try await connection.run(RedisCommand("ANY"))
        #expect(
            reply
                == .array([
                    .bulkString(Array("bin\r\n".utf8)), .array([.error("ERR inside"), .array([])]), .null, .null,
                ]))
        await connection.close()
        try await server.close()
    }
}
