import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Random version-4 UUID strings (lowercase) for task, context, message and artifact ids.
///
/// `UUID()` asks the kernel for randomness on every call; this draws 4 KiB at a time from the same
/// system CSPRNG, so ids stay unguessable at a fraction of the cost on the request path.
public enum Identifier {
    private static let pool = Mutex<(bytes: [UInt8], offset: Int)>(([UInt8](repeating: 0, count: 4096), 4096))

    /// A new random id such as `3f2b8c1e-9d4a-4f6b-8a2e-1c5d7e9f0a3b`.
    public static func make() -> String {
        var raw = pool.withLock { pool -> [UInt8] in
            if pool.offset + 16 > pool.bytes.count {
                refill(&pool.bytes)
                pool.offset = 0
            }
            defer { pool.offset += 16 }
            return Array(pool.bytes[pool.offset..<pool.offset + 16])
        }
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, byte) in raw.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func refill(_ bytes: inout [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        bytes.withUnsafeMutableBytes { buffer in
            #if canImport(Glibc)
            let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                defer { close(fd) }
                var filled = 0
                while filled < buffer.count {
                    let count = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                    if count > 0 { filled += count } else { break }
                }
                if filled == buffer.count { return }
            }
            #endif
            for index in stride(from: 0, to: buffer.count, by: 8) {
                buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: index, as: UInt64.self)
            }
        }
    }
}
