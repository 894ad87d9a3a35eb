import Foundation
import JWTKit

/// The claims the mesh reads from a client's JWT; checks beyond the signature are done after decoding, so that
/// each failure gets its own message.
struct ClientJWTClaims: JWTPayload {
    var sub: String?
    var iss: String?
    var aud: StringOrList?
    var exp: Double?
    var nbf: Double?
    var scope: StringOrList?
    var scp: StringOrList?
    /// Cognito access tokens name the app client here instead of in `aud`.
    var client_id: String?

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The scopes granted: `scope` or `scp`, space separated or a list; `x` and `anything/x` grant `x`.
    /// Without either claim, ``AuthScope/defaults``.
    var grantedScopes: Set<AuthScope> {
        guard let values = (scope ?? scp)?.values else { return AuthScope.defaults }
        var result: Set<AuthScope> = []
        for value in values.flatMap({ $0.split(separator: " ") }) {
            let last = value.split(separator: "/").last.map(String.init) ?? String(value)
            if let granted = AuthScope(rawValue: last) { result.insert(granted) }
        }
        return result
    }
}

/// The claims of a mesh token: `iss` and `aud` are `mesh:<mesh name>`, `sub` the agent.
struct MeshTokenClaims: JWTPayload {
    var iss: String
    var aud: String
    var sub: String
    var iat: Double
    var exp: Double

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// A JSON value that is one string or a list of strings (`aud`, `scp`).
struct StringOrList: Codable, Sendable, Hashable {
    var values: [String]

    init(_ values: [String]) { self.values = values }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            values = [one]
        } else {
            values = try container.decode([String].self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if values.count == 1 { try container.encode(values[0]) } else { try container.encode(values) }
    }
}

/// A token's header and payload read without checking anything, to pick the verifier.
struct UnverifiedJWT {
    struct Header: Decodable {
        var alg: String?
        var kid: String?
    }

    struct Issuer: Decodable {
        var iss: String?
    }

    var header: Header
    var issuer: String?

    /// True when `text` has a JWT's shape (three dot-separated parts); API keys never do.
    static func looksLikeJWT(_ text: String) -> Bool {
        text.split(separator: ".", omittingEmptySubsequences: false).count == 3
    }

    init(_ token: String) throws(AuthFailure) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Self.base64URL(parts[0]), let payloadData = Self.base64URL(parts[1]),
            let header = try? JSONDecoder().decode(Header.self, from: headerData),
            let payload = try? JSONDecoder().decode(Issuer.self, from: payloadData)
        else {
            throw .invalid("the bearer token is not a well-formed JWT (header and payload must be base64url JSON)")
        }
        self.header = header
        self.issuer = payload.iss
    }

    static func base64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// `exp` and `nbf` checks shared by client JWTs and mesh tokens, with a little leeway for clock skew.
enum TokenTimes {
    static let leeway: Double = 30

    static func check(exp: Double?, nbf: Double?, what: String, now: Date = Date()) throws(AuthFailure) {
        let seconds = now.timeIntervalSince1970
        guard let exp else { throw .invalid("the \(what) has no exp claim; tokens must expire") }
        guard seconds < exp + leeway else {
            throw .invalid("the \(what) expired at \(Self.format(exp)) (now \(Self.format(seconds)))")
        }
        if let nbf, seconds + leeway < nbf {
            throw .invalid("the \(what) is not valid before \(Self.format(nbf))")
        }
    }

    static func format(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}
