import NIOCore

/// Matches replies to requests in order (first in, first out) and lets many requests be in flight.
///
/// Pub/sub pushes (`message`, `pmessage`) go to ``onPush`` instead. Any error, timeout or reader failure
/// fails every waiting request and closes the channel: after that, replies could no longer be matched.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = [RedisCommand]

    private final class Pending {
        let request: RedisRequest
        var replies: [RESPValue] = []
        var timeoutTask: Scheduled<Void>?

        init(request: RedisRequest) {
            self.request = request
            replies.reserveCapacity(request.replyCount)
        }
    }

    private let server: String
    private let onPush: (@Sendable (RESPValue) -> Void)?
    private let recorder: RedisConnectionFailure
    private var pending = CircularBuffer<Pending>()
    /// Set once the channel failed; later requests fail with it at once.
    private var failure: Error?

    init(server: String, recorder: RedisConnectionFailure, onPush: (@Sendable (RESPValue) -> Void)? = nil) {
        self.server = server
        self.recorder = recorder
        self.onPush = onPush
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        let entry = Pending(request: request)
        if let timeout = request.timeout {
            let name = request.commands.first?.name ?? "?"
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let error = RedisError.timeout(command: name, server: server)
            entry.timeoutTask = context.eventLoop.scheduleTask(in: timeout) {
                let (handler, context) = bound.value
                handler.fail(context: context, with: error)
            }
        }
        pending.append(entry)
        context.write(wrapOutboundOut(request.commands), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if let onPush, Self.isPush(value) {
            onPush(value)
            return
        }
        guard let entry = pending.first else {
            fail(context: context, with: RedisError.protocolError("a reply arrived with no command waiting for it"))
            return
        }
        entry.replies.append(value)
        guard entry.replies.count >= entry.request.replyCount else { return }
        pending.removeFirst()
        entry.timeoutTask?.cancel()
        entry.request.promise.succeed(entry.replies)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(context: context, with: error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if failure == nil {
            failure = RedisError.connectionClosed(server: server, reason: "the server closed the connection")
        }
        recorder.record(failure!)
        failAll(with: failure!)
        context.fireChannelInactive()
    }

    private func fail(context: ChannelHandlerContext, with error: Error) {
        if failure == nil { failure = error }
        recorder.record(error)
        failAll(with: error)
        context.close(promise: nil)
    }

    private func failAll(with error: Error) {
        while let entry = pending.popFirst() {
            entry.timeoutTask?.cancel()
            entry.request.promise.fail(error)
        }
    }

    /// `message` and `pmessage` arrays: pushes that answer no command.
    private static func isPush(_ value: RESPValue) -> Bool {
        guard case .array(let items) = value, items.count >= 3, case .bulkString(let kind) = items[0] else {
            return false
        }
        return kind == Array("message".utf8) || kind == Array("pmessage".utf8)
    }
}
