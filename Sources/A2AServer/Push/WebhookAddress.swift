#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as a webhook host resolves to it, classified by the ranges a webhook may not reach.
public struct WebhookAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes (IPv4) or 16 bytes (IPv6).
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses a literal such as `10.0.0.1`, `::1` or `[fe80::1]`; nil for a name.
    public init?(literal text: String) {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var raw = in6_addr()
        withUnsafeMutableBytes(of: &raw) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`) or NAT64
    /// (`64:ff9b::a.b.c.d`) IPv6 address: these reach the IPv4 host, so they are judged as it is.
    var embeddedIPv4: WebhookAddress? {
        guard bytes.count == 16 else { return nil }
        let head = Array(bytes[0..<12])
        let mapped = head == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
        let compatible =
            head.allSatisfy { $0 == 0 } && bytes[12..<16].contains { $0 != 0 }
            && !(bytes[12..<15].allSatisfy { $0 == 0 } && bytes[15] <= 1)
        let nat64 = head == [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
        guard mapped || compatible || nat64 else { return nil }
        return WebhookAddress(bytes: Array(bytes[12..<16]))
    }

    /// Why a webhook may not reach this address by default (e.g. "a loopback address"), or nil for a public one.
    public var restriction: String? {
        if let inner = embeddedIPv4 { return inner.restriction.map { "\($0) (as IPv6 \(self))" } }
        if bytes.count == 4 {
            let (a, b) = (bytes[0], bytes[1])
            switch true {
            case a == 127: return "a loopback address"
            case a == 0: return "an unspecified address"
            case a == 169 && b == 254:
                return bytes == [169, 254, 169, 254] ? "the cloud metadata address" : "a link-local address"
            case a == 10, a == 172 && (16...31).contains(b), a == 192 && b == 168: return "a private-network address"
            case a == 100 && (64...127).contains(b): return "a shared (carrier-grade NAT) address"
            case a >= 224: return "a multicast or reserved address"
            default: return nil
            }
        }
        if bytes.allSatisfy({ $0 == 0 }) { return "an unspecified address" }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "a loopback address" }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80 { return "a link-local address" }
        if bytes[0] & 0xfe == 0xfc {
            return bytes == Self.awsMetadataV6
                ? "the cloud metadata address" : "a private-network (unique local) address"
        }
        if bytes[0] == 0xfe && bytes[1] & 0xc0 == 0xc0 { return "a site-local address" }
        if bytes[0] == 0xff { return "a multicast address" }
        return nil
    }

    /// `fd00:ec2::254`, EC2's instance metadata service over IPv6.
    private static let awsMetadataV6: [UInt8] = [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54]
}
