import Crypto
import Foundation
import JWTKit
import Synchronization

/// Mints the short-lived HS256 tokens agents of one mesh call each other with: `iss` and `aud` are
/// `mesh:<mesh name>`, `sub` is the calling agent, and they expire after ``lifetime``.
///
/// ``token()`` is cheap: it returns a cached token and mints a new one once half its life has passed, so a
/// token sent is always valid for at least half the lifetime.
public final class MeshTokenIssuer: Sendable {
    public let meshName: String
    public let agent: String
    public let lifetime: Duration
    private let key: SymmetricKey
    private let cached = Mutex<(token: String, renewAt: Date)?>(nil)

    public init(meshKey: String, meshName: String, agent: String, lifetime: Duration = .seconds(300)) {
        self.key = SymmetricKey(data: Data(meshKey.utf8))
        self.meshName = meshName
        self.agent = agent
        self.lifetime = lifetime
    }

    /// `mesh:<mesh name>`, the issuer and audience of every token of the mesh.
    public static func audience(meshName: String) -> String { "mesh:\(meshName)" }

    /// A valid token, renewed at half-life.
    public func token(now: Date = Date()) -> String {
        cached.withLock { cached in
            if let cached, now < cached.renewAt { return cached.token }
            let seconds = Double(lifetime.components.seconds)
            let token = mint(lifetime: seconds, now: now)
            cached = (token, now.addingTimeInterval(seconds / 2))
            return token
        }
    }

    /// `Authorization: Bearer <token>`, for requests to peers.
    public func headers() -> [(name: String, value: String)] {
        [("Authorization", "Bearer " + token())]
    }

    /// A new token valid for `lifetime` seconds, e.g. for a push config that must outlive a step.
    public func mint(lifetime: TimeInterval, now: Date = Date()) -> String {
        let issued = now.timeIntervalSince1970.rounded(.down)
        let audience = Self.audience(meshName: meshName)
        let claims = MeshTokenClaims(
            iss: audience, aud: audience, sub: agent, iat: issued, exp: issued + lifetime.rounded(.up))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let payload = Self.base64URL((try? encoder.encode(claims)) ?? Data())
        let input = header + "." + payload
        let signature = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key)
        return input + "." + Self.base64URL(Data(signature))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// Checks mesh tokens: the signature with the mesh key, the times, and that they are for this mesh.
///
/// Tokens that verified are remembered until they expire: an agent reuses its token for minutes, so every call
/// after its first costs a lookup instead of an HMAC and two JSON decodes.
final class MeshTokenVerifier: Sendable {
    let meshName: String
    private let keys: HMACKeys
    private let verified = Mutex<[String: (agent: String, exp: Double)]>([:])
    /// Enough for every agent of a mesh and a token renewal each; beyond it the oldest entries go.
    static let cacheCapacity = 512

    init(meshKey: String, meshName: String) {
        self.meshName = meshName
        keys = HMACKeys(secret: meshKey)
    }

    /// The calling agent's name.
    func verify(_ token: String, header given: UnverifiedJWT.Header? = nil, now: Date = Date())
        async throws(AuthFailure)
        -> String
    {
        if let agent = try knownAgent(token, now: now) { return agent }
        let header: UnverifiedJWT.Header
        if let given { header = given } else { header = try Self.header(of: token) }
        guard header.alg == "HS256" else {
            throw .invalid("a mesh token must be signed with HS256, not \(header.alg ?? "none")")
        }
        let claims: MeshTokenClaims
        do {
            claims = try await keys.keys().verify(token, as: MeshTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .invalid("the mesh token's signature does not verify: it was not signed with this mesh's key")
        } catch {
            throw .invalid("the mesh token cannot be read: it needs iss, aud, sub, iat and exp")
        }
        try TokenTimes.check(exp: claims.exp, nbf: nil, what: "mesh token", now: now)
        let expected = MeshTokenIssuer.audience(meshName: meshName)
        guard claims.aud == expected, claims.iss == expected else {
            throw .invalid("the mesh token is for '\(claims.aud)', not '\(expected)'")
        }
        remember(token, agent: claims.sub, exp: claims.exp, now: now)
        return claims.sub
    }

    private static func header(of token: String) throws(AuthFailure) -> UnverifiedJWT.Header {
        try UnverifiedJWT(token).header
    }

    /// The agent of `token` if it verified before, without parsing it again; nil for a token not seen yet, and
    /// the expiry's refusal once it has expired.
    func knownAgent(_ token: String, now: Date = Date()) throws(AuthFailure) -> String? {
        guard let known = verified.withLock({ $0[token] }) else { return nil }
        try TokenTimes.check(exp: known.exp, nbf: nil, what: "mesh token", now: now)
        return known.agent
    }

    private func remember(_ token: String, agent: String, exp: Double, now: Date) {
        verified.withLock { verified in
            if verified.count >= Self.cacheCapacity {
                let seconds = now.timeIntervalSince1970
                verified = verified.filter { $0.value.exp > seconds }
                if verified.count >= Self.cacheCapacity { verified.removeAll(keepingCapacity: true) }
            }
            verified[token] = (agent, exp)
        }
    }
}
