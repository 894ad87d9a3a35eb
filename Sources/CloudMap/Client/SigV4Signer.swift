import Crypto
import Foundation

/// AWS Signature Version 4 (header form) with HMAC-SHA256 from swift-crypto.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The request parts that enter the signature. `headers` must include `host`.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [(String, String)]
        public var headers: [(String, String)]
        public var body: Data

        public init(
            method: String, path: String, query: [(String, String)] = [], headers: [(String, String)], body: Data
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
            self.body = body
        }
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func amzDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
    }

    /// RFC 3986 encoding with AWS's unreserved set (`A-Z a-z 0-9 - _ . ~`).
    public static func uriEncode(_ value: String, keepSlash: Bool = false) -> String {
        var out = ""
        for byte in value.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber) || "-_.~".contains(c) || (keepSlash && c == "/") {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The hex SHA-256 of `data`.
    public static func sha256Hex(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// The canonical request and the signed-headers list.
    public func canonicalRequest(_ request: Request) -> (request: String, signedHeaders: String) {
        var grouped: [String: [String]] = [:]
        for (name, value) in request.headers {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
                .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            grouped[name.lowercased(), default: []].append(trimmed)
        }
        let names = grouped.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(grouped[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let encoded: [(key: String, value: String)] = request.query.map { pair in
            (key: Self.uriEncode(pair.0), value: Self.uriEncode(pair.1))
        }
        let sorted = encoded.sorted { lhs, rhs in lhs.key == rhs.key ? lhs.value < rhs.value : lhs.key < rhs.key }
        let query = sorted.map { pair in pair.key + "=" + pair.value }.joined(separator: "&")
        let path = request.path.isEmpty ? "/" : Self.uriEncode(request.path, keepSlash: true)
        let canonical = [
            request.method, path, query, canonicalHeaders, signedHeaders, Self.sha256Hex(request.body),
        ].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    /// `<date>/<region>/<service>/aws4_request`.
    public func scope(_ amzDate: String) -> String { "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request" }

    /// The string to sign for a canonical request at `amzDate`.
    public func stringToSign(canonicalRequest: String, amzDate: String) -> String {
        ["AWS4-HMAC-SHA256", amzDate, scope(amzDate), Self.sha256Hex(Data(canonicalRequest.utf8))]
            .joined(separator: "\n")
    }

    /// The derived signing key for the day of `amzDate`.
    public func signingKey(amzDate: String) -> SymmetricKey {
        func hmac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key))
        }
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [String(amzDate.prefix(8)), region, service, "aws4_request"] { key = hmac(key, part) }
        return key
    }

    /// The hex signature of a string to sign.
    public func signature(stringToSign: String, amzDate: String) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(amzDate: amzDate)))
    }

    /// The headers to add to `request` (whose headers must already hold `host`): `X-Amz-Date`,
    /// `X-Amz-Security-Token` with a session token, and `Authorization`.
    public func sign(_ request: Request, date: Date = Date()) -> [(String, String)] {
        let amzDate = Self.amzDate(date)
        var request = request
        var added = [("X-Amz-Date", amzDate)]
        if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        request.headers += added
        let (canonical, signedHeaders) = canonicalRequest(request)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical, amzDate: amzDate), amzDate: amzDate)
        added.append(
            (
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope(amzDate)), "
                    + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
            ))
        return added
    }
}
