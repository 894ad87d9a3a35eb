import NIOCore
import NIOHTTP1

/// One keep-alive connection in the closed loop: sends a request, waits for the whole response, sends the next.
final class BenchConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let run: LoopRun
    private var context: ChannelHandlerContext?
    private var inFlight = false
    private var measured = false
    private var sentAt = NIODeadline.uptimeNanoseconds(0)
    private var status: UInt = 0
    private var keepAlive = true
    private var errorScan = ErrorMemberScanner()

    init(run: LoopRun) {
        self.run = run
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        run.register(self)
        context.fireChannelActive()
        // A connection opened after the start (a reconnect) joins the loop straight away.
        if run.phase == .warmup || run.phase == .measuring { sendNext() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if inFlight {
            inFlight = false
            run.lost(measured: measured)
        }
        run.unregister(self)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    /// Sends the next request unless one is in flight or the run says stop.
    func sendNext() {
        guard !inFlight, let context, context.channel.isActive, let (measured, body) = run.issue() else { return }
        inFlight = true
        self.measured = measured
        status = 0
        errorScan = ErrorMemberScanner()
        sentAt = .now()
        context.write(wrapOutboundOut(.head(run.template.head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status.code
            keepAlive = head.isKeepAlive
        case .body(let buffer):
            errorScan.scan(buffer)
        case .end:
            let now = NIODeadline.now()
            inFlight = false
            run.complete(
                measured: measured, latency: (now - sentAt).nanoseconds, status: status,
                rpcError: errorScan.finish(), at: now)
            if keepAlive {
                sendNext()
            } else {
                // The server said it closes this connection; the run opens a new one once it has.
                context.close(promise: nil)
            }
        }
    }

    /// Closes the connection; the run is over.
    func close() -> EventLoopFuture<Void> {
        guard let context else { return run.eventLoop.makeSucceededVoidFuture() }
        inFlight = false
        return context.close()
    }
}
