import NIOCore
import NIOHTTP1
import NIOPosix

/// A tiny OpenAI-compatible upstream for `mesh bench gateway`: every request gets the same
/// `chat.completion` answer at once, so what is measured is the path, not a model.
public final class FixedResponseServer: Sendable {
    /// The answer to every request.
    public static let body = """
        {"id":"chatcmpl-bench","object":"chat.completion","created":1741569952,"model":"bench-model",\
        "choices":[{"index":0,"message":{"role":"assistant","content":"fixed answer"},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}
        """
    let channel: any Channel
    /// The port it listens on, on 127.0.0.1.
    public let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    /// Starts listening on 127.0.0.1 at `port` (0 picks a free one).
    public static func start(port: Int = 0) async throws -> FixedResponseServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FixedResponseHandler())
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        return FixedResponseServer(channel: channel)
    }

    public func stop() async {
        try? await channel.close()
    }
}

/// Answers each complete request with ``FixedResponseServer/body``, keeping the connection open.
final class FixedResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        headers.add(name: "content-length", value: "\(FixedResponseServer.body.utf8.count)")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: FixedResponseServer.body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
