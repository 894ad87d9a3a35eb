import NIOCore

// No Swift library on this machine decodes AWS's `application/vnd.amazon.eventstream` framing outside
// the AWS SDK, so it is written here. Layout of one message (all integers big-endian):
//   total length (4) | headers length (4) | prelude CRC32 (4) | headers | payload | message CRC32 (4)
// A header is: name length (1) | name | value type (1) | value (length by type).

/// One message of an AWS event stream: its string headers and its payload.
public struct AWSEventStreamMessage: Sendable, Hashable {
    /// Headers whose values are strings (`:event-type`, `:message-type`, `:content-type`, `:exception-type`).
    public var headers: [String: String]
    public var payload: [UInt8]

    public init(headers: [String: String], payload: [UInt8]) {
        self.headers = headers
        self.payload = payload
    }

    /// The message in wire format, with both checksums.
    public func encoded() -> [UInt8] {
        var headerBytes: [UInt8] = []
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            headerBytes.append(UInt8(name.utf8.count))
            headerBytes += name.utf8
            headerBytes.append(7)
            headerBytes += UInt16(value.utf8.count).bigEndianBytes
            headerBytes += value.utf8
        }
        var bytes = UInt32(12 + headerBytes.count + payload.count + 4).bigEndianBytes
        bytes += UInt32(headerBytes.count).bigEndianBytes
        bytes += CRC32.checksum(bytes).bigEndianBytes
        bytes += headerBytes + payload
        bytes += CRC32.checksum(bytes).bigEndianBytes
        return bytes
    }
}

/// Why an event stream could not be decoded.
public struct AWSEventStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
}

/// Splits a byte stream into ``AWSEventStreamMessage``s, checking both CRCs of each.
public struct AWSEventStreamDecoder: Sendable {
    private var buffer: [UInt8] = []
    /// AWS caps a message at 16 MiB; anything longer is a corrupt prelude.
    static let maximumMessageLength = 16 << 20

    public init() {}

    /// Adds bytes and returns every message they complete.
    public mutating func feed<Bytes: Sequence<UInt8>>(_ bytes: Bytes) throws(AWSEventStreamError) -> [AWSEventStreamMessage] {
        buffer += bytes
        var messages: [AWSEventStreamMessage] = []
        var start = 0
        while buffer.count - start >= 12 {
            let total = Int(Self.uint32(buffer, start))
            let headersLength = Int(Self.uint32(buffer, start + 4))
            guard CRC32.checksum(buffer[start..<start + 8]) == Self.uint32(buffer, start + 8) else {
                throw AWSEventStreamError(description: "prelude CRC mismatch")
            }
            guard total >= 16 + headersLength, total <= Self.maximumMessageLength else {
                throw AWSEventStreamError(description: "impossible message length \(total)")
            }
            guard buffer.count - start >= total else { break }
            let end = start + total
            guard CRC32.checksum(buffer[start..<end - 4]) == Self.uint32(buffer, end - 4) else {
                throw AWSEventStreamError(description: "message CRC mismatch")
            }
            let headers = try Self.headers(buffer[(start + 12)..<(start + 12 + headersLength)])
            messages.append(AWSEventStreamMessage(headers: headers, payload: Array(buffer[(start + 12 + headersLength)..<(end - 4)])))
            start = end
        }
        buffer.removeFirst(start)
        return messages
    }

    /// True when bytes of an unfinished message are left over.
    public var hasPartialMessage: Bool { !buffer.isEmpty }

    static func uint32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    /// String-valued headers; values of the other types are skipped by their documented sizes.
    static func headers(_ bytes: ArraySlice<UInt8>) throws(AWSEventStreamError) -> [String: String] {
        var headers: [String: String] = [:]
        var index = bytes.startIndex
        func need(_ count: Int) throws(AWSEventStreamError) {
            guard bytes.endIndex - index >= count else { throw AWSEventStreamError(description: "truncated header") }
        }
        while index < bytes.endIndex {
            try need(1)
            let nameLength = Int(bytes[index])
            try need(2 + nameLength)
            let name = String(decoding: bytes[(index + 1)..<(index + 1 + nameLength)], as: UTF8.self)
            index += 1 + nameLength
            let type = bytes[index]
            index += 1
            switch type {
            case 0, 1: break  // true, false: no value bytes
            case 2: try need(1); index += 1
            case 3: try need(2); index += 2
            case 4: try need(4); index += 4
            case 5, 8: try need(8); index += 8
            case 9: try need(16); index += 16
            case 6, 7:
                try need(2)
                let length = Int(bytes[index]) << 8 | Int(bytes[index + 1])
                try need(2 + length)
                if type == 7 { headers[name] = String(decoding: bytes[(index + 2)..<(index + 2 + length)], as: UTF8.self) }
                index += 2 + length
            default: throw AWSEventStreamError(description: "unknown header value type \(type)")
            }
        }
        return headers
    }
}

/// CRC-32 (ISO-HDLC, the zlib polynomial), as the event-stream framing uses.
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    /// The checksum of `bytes`.
    public static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension FixedWidthInteger {
    var bigEndianBytes: [UInt8] { withUnsafeBytes(of: self.bigEndian) { Array($0) } }
}
