import Foundation
import NIOCore
import NIOPosix

/// Reads a child's output pipe on the event loop and hands it on line by line.
enum ChildOutput {
    /// The longest line passed on whole; longer ones are passed on in pieces of this size.
    static let maximumLineLength = 16 * 1024

    /// Reads `fd` until the child and everything that inherited the pipe have closed it (or the task is
    /// cancelled), calling `line` for each line without its newline. Takes ownership of `fd`.
    static func forward(_ fd: CInt, line: @escaping @Sendable (String) -> Void) async {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await NIOPipeBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .takingOwnershipOfDescriptor(input: fd) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            close(fd)
            line("(mesh up cannot read this process's output: \(error))")
            return
        }
        var splitter = LineSplitter(maximumLength: maximumLineLength)
        try? await channel.executeThenClose { inbound, _ in
            for try await buffer in inbound {
                for text in splitter.append(buffer.readableBytesView) { line(text) }
            }
        }
        if let rest = splitter.finish() { line(rest) }
    }
}

/// Cuts a byte stream into lines, keeping an unfinished line until its end arrives.
struct LineSplitter {
    let maximumLength: Int
    private var pending: [UInt8] = []

    init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    /// The lines completed by `bytes`, without `\n` (and without a `\r` before it).
    mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                lines.append(take())
            } else {
                pending.append(byte)
                if pending.count >= maximumLength { lines.append(take()) }
            }
        }
        return lines
    }

    /// The last line when the stream ended without a newline.
    mutating func finish() -> String? {
        pending.isEmpty ? nil : take()
    }

    private mutating func take() -> String {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        defer { pending.removeAll(keepingCapacity: true) }
        return String(decoding: pending, as: UTF8.self)
    }
}
