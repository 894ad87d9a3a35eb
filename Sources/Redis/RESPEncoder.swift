internal import CHiredis
import NIOCore

/// Encodes batches of commands as RESP2 with hiredis' formatter, one buffer per batch.
///
/// A pipeline is one batch, so it goes out in one write.
struct RESPEncoder: MessageToByteEncoder {
    typealias OutboundIn = [RedisCommand]

    func encode(data: [RedisCommand], out: inout ByteBuffer) throws {
        for command in data {
            try Self.encode(command, into: &out)
        }
    }

    /// Appends one command in RESP2 to `buffer`.
    static func encode(_ command: RedisCommand, into buffer: inout ByteBuffer) throws {
        let arguments = command.arguments
        guard !arguments.isEmpty else { throw RedisError.configuration("empty command") }
        let total = arguments.reduce(0) { $0 + $1.count }
        // redisFormatCommandArgv reads every argument during the call: lay them out in one buffer so that
        // all the pointers stay valid until it returns. Small commands stay off the heap.
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(total, 1)) { storage in
            try withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: arguments.count) { argv in
                try withUnsafeTemporaryAllocation(of: Int.self, capacity: arguments.count) { argvlen in
                    let base = UnsafeMutableRawPointer(storage.baseAddress!)
                    var offset = 0
                    for (index, argument) in arguments.enumerated() {
                        argument.withUnsafeBytes { bytes in
                            if let source = bytes.baseAddress {
                                (base + offset).copyMemory(from: source, byteCount: bytes.count)
                            }
                        }
                        argv[index] = UnsafePointer((base + offset).assumingMemoryBound(to: CChar.self))
                        argvlen[index] = argument.count
                        offset += argument.count
                    }
                    var target: UnsafeMutablePointer<CChar>?
                    let count = redisFormatCommandArgv(
                        &target, Int32(arguments.count), argv.baseAddress, argvlen.baseAddress)
                    guard count > 0, let target else {
                        throw RedisError.protocolError("could not format \(command.name)")
                    }
                    defer { redisFreeCommand(target) }
                    buffer.writeBytes(UnsafeRawBufferPointer(start: target, count: Int(count)))
                }
            }
        }
    }
}
