import Crypto
import Foundation

/// The `X-Mesh-Signature` header of webhook and push-notification deliveries: `t=<unix seconds>,v1=<hex>`, where
/// `v1` is HMAC-SHA256 with the signing secret over `<t>.<raw body>` (as Stripe signs its webhooks).
///
/// A receiver recomputes the HMAC over the timestamp, a dot and the body exactly as received, compares in
/// constant time, and refuses a timestamp older than a few minutes (a replayed delivery).
public enum WebhookSignature {
    /// The header's name.
    public static let headerName = "X-Mesh-Signature"

    /// The header value for `body` signed at `timestamp` (Unix seconds).
    public static func header(body: some DataProtocol, secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(hex(mac(body: body, secret: secret, timestamp: timestamp)))"
    }

    /// True when `header` carries a valid signature of `body` no older than `tolerance` seconds at `now`.
    public static func verify(
        header: String, body: some DataProtocol, secret: String, tolerance: TimeInterval = 300, now: Date = Date()
    ) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for item in header.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1].lowercased()) }
        }
        guard let timestamp, abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = mac(body: body, secret: secret, timestamp: timestamp)
        return signatures.contains { signature in
            guard let bytes = bytes(hex: signature) else { return false }
            return constantTimeEqual(Array(expected), bytes)
        }
    }

    private static func mac(body: some DataProtocol, secret: String, timestamp: Int) -> HashedAuthenticationCode<SHA256>
    {
        var hmac = HMAC<SHA256>(key: key(secret))
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: body)
        return hmac.finalize()
    }

    private static func key(_ secret: String) -> SymmetricKey { SymmetricKey(data: Array(secret.utf8)) }

    private static func hex(_ code: HashedAuthenticationCode<SHA256>) -> String {
        code.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
    }

    private static func bytes(hex: String) -> [UInt8]? {
        let characters = Array(hex.utf8)
        guard characters.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(characters.count / 2)
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let high = nibble(characters[index]), let low = nibble(characters[index + 1]) else { return nil }
            result.append(high << 4 | low)
        }
        return result
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
