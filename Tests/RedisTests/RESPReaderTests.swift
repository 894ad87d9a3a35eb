import NIOCore
import Testing

@testable import Redis

@Suite("RESP reader (hiredis), fed byte by byte")
struct RESPReaderTests {
    /// Feeds `wire` one byte at a time and returns every reply, checking none appears before its last byte.
    private func decodeByteByByte(_ wire: [UInt8]) throws -> [RESPValue] {
        let reader = RESPReader()
        var values: [RESPValue] = []
        for byte in wire {
            try reader.feed([byte])
            while let value = try reader.next() { values.append(value) }
        }
        return values
    }

    private func decode(_ text: String) throws -> [RESPValue] {
        try decodeByteByByte(Array(text.utf8))
    }

    @Test func simpleString() throws {
        #expect(try decode("+OK\r\n") == [.simpleString("OK")])
    }

    @Test func error() throws {
        #expect(try decode("-WRONGTYPE Operation against a key\r\n") == [.error("WRONGTYPE Operation against a key")])
    }

    @Test func integer() throws {
        #expect(try decode(":-42\r\n:9223372036854775807\r\n") == [.integer(-42), .integer(Int64.max)])
    }

    @Test func nilBulkAndNilArray() throws {
        #expect(try decode("$-1\r\n*-1\r\n") == [.null, .null])
    }

    @Test func emptyBulkAndEmptyArray() throws {
        #expect(try decode("$0\r\n\r\n*0\r\n") == [.bulkString([]), .array([])])
    }

    @Test func nestedArraysWithErrorsInside() throws {
        let wire = "*3\r\n:1\r\n*2\r\n-ERR inner\r\n*0\r\n*2\r\n$3\r\nfoo\r\n$-1\r\n"
        let expected: RESPValue = .array([
            .integer(1),
            .array([.error("ERR inner"), .array([])]),
            .array([.bulkString(Array("foo".utf8)), .null]),
        ])
        #expect(try decode(wire) == [expected])
    }

    @Test func binaryBulkWithCRLFInside() throws {
        let payload: [UInt8] = [0, 13, 10, 255, 13, 10, 36, 45, 49, 13, 10]
        let wire = Array("$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
        #expect(try decodeByteByByte(wire) == [.bulkString(payload)])
    }

    @Test func fourMiBValue() throws {
        let payload = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let wire = Array("$\(payload.count)\r\n".utf8) + payload + Array("\r\n".utf8)
        // Byte by byte up to the payload, then in 1000-byte pieces: 4 Mi single-byte feeds add nothing but time.
        let reader = RESPReader()
        var values: [RESPValue] = []
        for (index, byte) in wire.enumerated() where index < 16 {
            try reader.feed([byte])
            #expect(try reader.next() == nil)
        }
        var offset = 16
        while offset < wire.count {
            let end = min(offset + 1000, wire.count)
            try reader.feed(Array(wire[offset..<end]))
            while let value = try reader.next() { values.append(value) }
            offset = end
        }
        #expect(values == [.bulkString(payload)])
    }

    @Test func manyRepliesInOneFeed() throws {
        let reader = RESPReader()
        try reader.feed(Array("+A\r\n:2\r\n$1\r\nc\r\n".utf8))
        #expect(try reader.next() == .simpleString("A"))
        #expect(try reader.next() == .integer(2))
        #expect(try reader.next() == .bulkString([99]))
        #expect(try reader.next() == nil)
    }

    @Test func invalidTypeByteFails() throws {
        let reader = RESPReader()
        try reader.feed(Array("+OK\r\n".utf8))
        #expect(try reader.next() == .simpleString("OK"))
        try reader.feed(Array("!oops\r\n".utf8))
        #expect(throws: RedisError.self) { try reader.next() }
        // The reader stays failed: the connection has to be closed.
        #expect(throws: RedisError.self) { try reader.feed(Array("+OK\r\n".utf8)) }
    }

    @Test func readerErrorNamesTheByte() throws {
        let reader = RESPReader()
        try reader.feed([0x16, 0x03, 0x01])
        do {
            _ = try reader.next()
            Issue.record("expected a protocol error")
        } catch let error as RedisError {
            guard case .protocolError(let text) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(text.contains("reply type byte"))
        }
    }
}

@Suite("RESP encoder (hiredis)")
struct RESPEncoderTests {
    private func encode(_ commands: [RedisCommand]) throws -> String {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        try RESPEncoder().encode(data: commands, out: &buffer)
        return String(buffer: buffer)
    }

    @Test func set() throws {
        #expect(try encode([RedisCommand("SET", "key", "value")]) == "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n")
    }

    @Test func commandWithoutArguments() throws {
        #expect(try encode([RedisCommand("PING")]) == "*1\r\n$4\r\nPING\r\n")
    }

    @Test func emptyAndNumericArguments() throws {
        #expect(try encode([RedisCommand("SET", "", 42)]) == "*3\r\n$3\r\nSET\r\n$0\r\n\r\n$2\r\n42\r\n")
    }

    @Test func batchIsOneBuffer() throws {
        let wire = try encode([RedisCommand("GET", "a"), RedisCommand("INCR", "b")])
        #expect(wire == "*2\r\n$3\r\nGET\r\n$1\r\na\r\n*2\r\n$4\r\nINCR\r\n$1\r\nb\r\n")
    }

    @Test func binaryArgumentRoundTrips() throws {
        let payload: [UInt8] = [0, 13, 10, 0xFF]
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        try RESPEncoder().encode(
            data: [RedisCommand("SET", [RedisArgument("k"), RedisArgument(bytes: payload)])], out: &buffer)
        let expected = Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\n".utf8) + payload + Array("\r\n".utf8)
        #expect(buffer.readableBytesView.elementsEqual(expected))
    }
}
