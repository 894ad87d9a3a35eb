import Foundation
import A2A
import NIOCore
import NIOHTTP1

/// A SendMessage JSON-RPC request encoded once, into which each request splices only a fresh `messageId`.
///
/// Every id has the same width, so the body length and therefore the request head never change.
public struct SendMessageTemplate: Sendable {
    /// The width of a spliced message id: 16 hex digits, a dash, 16 hex digits.
    public static let messageIDLength = 33

    /// The request head shared by every request, `Content-Length` included.
    public let head: HTTPRequestHead
    /// The body bytes before the message id.
    public let prefix: ByteBuffer
    /// The body bytes after the message id.
    public let suffix: ByteBuffer

    /// Encodes the request with the A2A model and finds where the message id goes.
    public init(target: BenchTarget, text: String) throws {
        try self.init(target: target, uri: target.path, text: text) { message in
            try A2AJSON.encode(
                JSONRPCRequest(
                    id: .number(1), method: A2AMethod.sendMessage.rawValue, params: SendMessageRequest(message: message)
                ))
        }
    }

    /// The master's `POST /dispatch` body, `{"skill", "message"}`, for `target` (the master's base URL).
    public static func dispatch(target: BenchTarget, skill: String, text: String) throws -> SendMessageTemplate {
        let base = target.path.hasSuffix("/") ? String(target.path.dropLast()) : target.path
        return try SendMessageTemplate(target: target, uri: base + "/dispatch", text: text) { message in
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("skill")
            writer.string(skill)
            writer.key("message")
            try writer.encodable(message)
            writer.endObject()
            return Data(writer.bytes)
        }
    }

    private init(target: BenchTarget, uri: String, text: String, encode: (Message) throws -> Data) throws {
        let placeholder = String(repeating: "~", count: Self.messageIDLength)
        let body = Array(try encode(Message(messageId: placeholder, role: .user, parts: [.text(text)])))
        let marker = Array(placeholder.utf8)
        guard let start = Self.firstIndex(of: marker, in: body) else {
            throw BenchError.invalidOption("the message text must not contain the id placeholder")
        }
        prefix = ByteBuffer(bytes: body[..<start])
        suffix = ByteBuffer(bytes: body[(start + marker.count)...])

        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        headers.add(name: A2AProtocol.versionHeader, value: A2AProtocol.version)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        head = HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: headers)
    }

    /// The size of every body.
    public var bodyLength: Int { prefix.readableBytes + Self.messageIDLength + suffix.readableBytes }

    /// A body whose message id is `runID` and `sequence` in fixed-width hex.
    public func body(runID: UInt64, sequence: UInt64, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: bodyLength)
        buffer.writeImmutableBuffer(prefix)
        Self.writeHex(runID, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        Self.writeHex(sequence, into: &buffer)
        buffer.writeImmutableBuffer(suffix)
        return buffer
    }

    /// The message id `body(runID:sequence:allocator:)` splices in.
    public static func messageID(runID: UInt64, sequence: UInt64) -> String {
        var buffer = ByteBuffer()
        writeHex(runID, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        writeHex(sequence, into: &buffer)
        return String(buffer: buffer)
    }

    private static func writeHex(_ value: UInt64, into buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 16) { bytes in
            var rest = value
            for index in stride(from: 15, through: 0, by: -1) {
                let digit = UInt8(truncatingIfNeeded: rest & 0xF)
                bytes[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                rest >>= 4
            }
            return 16
        }
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
