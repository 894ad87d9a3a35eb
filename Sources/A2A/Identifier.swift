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
        var (high, low) = pool.withLock { pool -> (UInt64, UInt64) in
            if pool.offset + 16 > pool.bytes.count {
                refill(&pool.bytes)
                pool.offset = 0
            }
            defer { pool.offset += 16 }
            return pool.bytes.withUnsafeBytes { bytes in
                (
                    bytes.loadUnaligned(fromByteOffset: pool.offset, as: UInt64.self),
                    bytes.loadUnaligned(fromByteOffset: pool.offset + 8, as: UInt64.self)
                )
            }
        }
        // Version 4 (byte 6's high nibble) and the RFC 4122 variant (byte 8's two high bits), in big-endian order.
        high = (high & ~0x0000_0000_0000_F000) | 0x0000_0000_0000_4000
        low = (low & ~0xC000_0000_0000_0000) | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { text in
            let hex: StaticString = "0123456789abcdef"
            var index = 0
            for position in 0..<32 {
                if position == 8 || position == 12 || position == 16 || position == 20 {
                    text[index] = UInt8(ascii: "-")
                    index += 1
                }
                let value = position < 16 ? high : low
                let shift = UInt64(60 - (position % 16) * 4)
                text[index] = hex.utf8Start[Int((value >> shift) & 0x0F)]
                index += 1
            }
            return index
        }
    }

    private static func refill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            #if canImport(Glibc)
                // Glibc's module map leaves out getrandom(2); reading the device costs three calls per 256 ids.
                let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
                if fd >= 0 {
                    defer { close(fd) }
                    var filled = 0
                    while filled < buffer.count {
                        let count = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                        if count > 0 { filled += count } else if count == 0 || errno != EINTR { break }
                    }
                    if filled == buffer.count { return }
                }
            #endif
            var generator = SystemRandomNumberGenerator()
            for index in stride(from: 0, to: buffer.count, by: 8) {
                buffer.storeBytes(of: generator.next() as UInt64, toByteOffset: index, as: UInt64.self)
            }
        }
    }
}
