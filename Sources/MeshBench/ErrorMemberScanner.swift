import NIOCore

/// Tells whether a JSON body, which may arrive in pieces, has an `"error"` member in its top-level object:
/// the mark of a JSON-RPC error response, found without decoding the body.
///
/// It tracks only string, escape and nesting state, so `"error"` inside a string, as a value, or as a key of
/// a nested object does not count. A body that arrives whole is first searched for the bytes `"error"` with a
/// tight loop, so a success response costs a fast search rather than a walk through every byte.
struct ErrorMemberScanner {
    private var state = State()
    /// The first piece of the body, kept unscanned until it is known whether more pieces follow.
    private var pending: ByteBuffer?
    private var scannedAny = false
    private var found = false

    private struct State {
        var depth = 0
        var inString = false
        var escaped = false
        /// The current string is a top-level key that matches `error` so far.
        var candidate = false
        var matched = 0
        var awaitingColon = false
    }

    /// Takes the next piece of the body.
    mutating func scan(_ buffer: ByteBuffer) {
        guard !found else { return }
        if let first = pending {
            pending = nil
            walk(first)
            walk(buffer)
        } else if scannedAny {
            walk(buffer)
        } else {
            pending = buffer
            scannedAny = true
        }
    }

    /// Ends the body: true when it had a top-level `"error"` member.
    mutating func finish() -> Bool {
        if let whole = pending {
            pending = nil
            if Self.containsQuotedError(whole) { walk(whole) }
        }
        return found
    }

    private static let quotedError = Array(#""error""#.utf8)

    /// True when the bytes `"error"` occur anywhere in `buffer`; compares 16 starting positions at a time.
    private static func containsQuotedError(_ buffer: ByteBuffer) -> Bool {
        let pattern = quotedError
        return buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= pattern.count else { return false }
            let lastStart = bytes.count - pattern.count
            var start = 0
            while start + 15 + pattern.count <= bytes.count {
                var hits = SIMDMask<SIMD16<Int8>>(repeating: true)
                for (offset, byte) in pattern.enumerated() {
                    let block = bytes.loadUnaligned(fromByteOffset: start + offset, as: SIMD16<UInt8>.self)
                    hits .&= block .== SIMD16(repeating: byte)
                }
                if any(hits) { return true }
                start += 16
            }
            while start <= lastStart {
                if (0..<pattern.count).allSatisfy({ bytes[start + $0] == pattern[$0] }) { return true }
                start += 1
            }
            return false
        }
    }

    private mutating func walk(_ buffer: ByteBuffer) {
        guard !found else { return }
        // The state lives in a local for the loop: one load and one store per chunk, not per byte.
        var state = self.state
        found = buffer.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                if state.inString {
                    Self.stringByte(byte, &state)
                } else if Self.structuralByte(byte, &state) {
                    return true
                }
            }
            return false
        }
        self.state = state
    }

    @inline(__always)
    private static func stringByte(_ byte: UInt8, _ state: inout State) {
        if state.escaped {
            state.escaped = false
            state.candidate = false
            return
        }
        switch byte {
        case UInt8(ascii: "\\"):
            state.escaped = true
            state.candidate = false
        case UInt8(ascii: "\""):
            state.inString = false
            state.awaitingColon = state.candidate && state.matched == 5
        default:
            guard state.candidate else { return }
            if state.matched < 5 && byte == letter(state.matched) {
                state.matched += 1
            } else {
                state.candidate = false
            }
        }
    }

    /// Handles a byte outside strings; true when it completes `"error":` at the top level.
    @inline(__always)
    private static func structuralByte(_ byte: UInt8, _ state: inout State) -> Bool {
        switch byte {
        case UInt8(ascii: "\""):
            state.inString = true
            state.candidate = state.depth == 1
            state.matched = 0
            state.awaitingColon = false
        case UInt8(ascii: ":"):
            return state.awaitingColon
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"):
            break
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            state.depth += 1
            state.awaitingColon = false
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            state.depth -= 1
            state.awaitingColon = false
        default:
            state.awaitingColon = false
        }
        return false
    }

    private static func letter(_ index: Int) -> UInt8 {
        switch index {
        case 0: UInt8(ascii: "e")
        case 1, 2, 4: UInt8(ascii: "r")
        default: UInt8(ascii: "o")
        }
    }
}
