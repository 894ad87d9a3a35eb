import Foundation

/// How deeply a JSON text nests objects and arrays, found by one pass over its bytes without decoding it.
public enum JSONDepth {
    /// True when `bytes` nests objects and arrays more than `limit` levels deep (brackets inside strings do not
    /// count). Stops at the first level beyond the limit.
    public static func exceeds(_ limit: Int, in bytes: some Sequence<UInt8>) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > limit { return true }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
        }
        return false
    }

    /// The message that refuses a body nested deeper than `limit`.
    public static func refusal(limit: Int) -> String {
        "the JSON body nests objects and arrays more than \(limit) levels deep; the limit (maxJSONDepth) is \(limit)"
    }
}
