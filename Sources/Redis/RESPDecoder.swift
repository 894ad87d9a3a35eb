import NIOCore

/// Decodes RESP2 replies with hiredis, as a NIO inbound handler.
///
/// A reader error throws ``RedisError/protocolError(_:)``; the channel handler then closes the connection,
/// because hiredis cannot recover from it.
final class RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    private let reader = RESPReader()

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if buffer.readableBytes > 0 {
            try buffer.withUnsafeReadableBytes { try reader.feed($0) }
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }
        while let value = try reader.next() {
            context.fireChannelRead(wrapInboundOut(value))
        }
        return .needMoreData
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        _ = try decode(context: context, buffer: &buffer)
        return .needMoreData
    }
}
