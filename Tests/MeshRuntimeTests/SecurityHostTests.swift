import A2A
import A2AClient
import AsyncHTTPClient
import Crypto
import CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import JWTKit
import MeshAgents
import MeshRuntime
import MeshTesting
import NIOCore
import Testing

/// ``AuthMiddleware`` on a live host: each 401 and 403 with its challenge and body, API keys, HS256 and JWKS
/// JWTs, mesh tokens, and the public card and `/ping`.
@Suite("Security on a host", .timeLimit(.minutes(2)))
struct SecurityHostTests {
    static let aliceKey = "mk_alice-test-key-0000000000000000"
    static let jwtSecret = "a-shared-hs256-secret-for-the-security-tests"
    static let meshKey = "the-mesh-key-of-this-test-mesh-0000"

    static func auth(jwksURL: String = "") -> AuthSettings {
        AuthSettings(
            apiKeys: [.init(id: "alice", sha256: AuthSettings.APIKey.hash(of: aliceKey), scopes: [.task, .result])],
            jwt: .init(hs256Secret: jwtSecret, jwksURL: jwksURL, issuer: "https://id.test", audience: "mesh-api"),
            meshKey: meshKey, rateLimit: .init(perMinute: 7, monthlyTasks: 70))
    }

    /// A conformance agent with the master's policy and stub routes that echo the principal.
    func withMasterLikeHost<Result: Sendable>(
        auth: AuthSettings = auth(), _ body: (String) async throws -> Result
    ) async throws -> Result {
        var configuration = AgentHostConfiguration(name: "secured", port: 0, logLevel: .critical)
        configuration.security = HostSecurity.master(auth: auth, meshName: "test", agent: "master")
        let host = buildAgentHost(
            card: ConformanceAgent.card, executor: ConformanceAgent(), configuration: configuration
        ) { router in
            for (method, path) in [(HTTPRequest.Method.post, "/task"), (.get, "/dlq"), (.post, "/result")] {
                router.on(RouterPath(path), method: method) { _, _ -> String in
                    let principal = RequestPrincipal.current
                    return "\(principal?.subject ?? "none") \(principal?.limits.perMinute ?? -1)"
                }
            }
        }
        return try await withRunningHost(host, body)
    }

    /// What an OIDC provider puts in the JWTs the JWKS tests sign.
    struct Claims: JWTPayload {
        var sub: String
        var iss: String
        var aud: String
        var exp: Int

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    func hs256(_ claims: [String: Any], secret: String = jwtSecret) -> String {
        var payload = claims
        payload["exp"] = payload["exp"] ?? Date().timeIntervalSince1970 + 300
        let header = base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let body = base64URL(try! JSONSerialization.data(withJSONObject: payload))
        let input = header + "." + body
        let signature = HMAC<SHA256>.authenticationCode(
            for: Data(input.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return input + "." + base64URL(Data(signature))
    }

    func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func errorMessage(_ response: RawResponse) -> String {
        ((response.json?["error"] as? [String: Any])?["message"] as? String) ?? ""
    }

    @Test func theCardAndPingArePublicAndTheCardAdvertisesTheSchemes() async throws {
        try await withMasterLikeHost { base in
            #expect(try await rawRequest(base + "/ping").status == 200)
            let card = try await AgentCardResolver().resolve(base)
            #expect(Set(card.securitySchemes?.keys.map { $0 } ?? []) == ["apiKey", "bearer", "meshToken"])
            guard case .apiKey(let apiKey) = card.securitySchemes?["apiKey"] else {
                Issue.record("no apiKey scheme: \(String(describing: card.securitySchemes))")
                return
            }
            #expect(apiKey.location == "header" && apiKey.name == "X-API-Key")
            guard case .httpAuth(let bearer) = card.securitySchemes?["bearer"] else { return }
            #expect(bearer.scheme == "Bearer" && bearer.bearerFormat == "JWT")
            #expect(card.securityRequirements?.count == 3, "any one scheme is enough")
        }
    }

    @Test func missingAndUnknownCredentialsGet401WithChallengesAndReasons() async throws {
        try await withMasterLikeHost { base in
            let missing = try await rawRequest(base + "/task", method: .POST)
            #expect(missing.status == 401)
            let challenges = missing.headers.filter { $0.name.lowercased() == "www-authenticate" }.map(\.value)
            #expect(challenges.contains(#"Bearer realm="test""#), "\(challenges)")
            #expect(challenges.contains(#"ApiKey realm="test", header="X-API-Key""#), "\(challenges)")
            let body = try #require(missing.json?["error"] as? [String: Any])
            #expect(body["code"] as? Int == 401 && body["status"] as? String == "Unauthenticated")
            #expect(errorMessage(missing).hasPrefix("POST /task needs an API key (X-API-Key or Authorization: Bearer)"))

            let unknown = try await rawRequest(base + "/task", method: .POST, headers: [("X-API-Key", "mk_nobody")])
            #expect(unknown.status == 401 && errorMessage(unknown) == "unknown API key")
            #expect(unknown.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true)
            #expect(!unknown.bodyText.contains("mk_nobody"), "the credential is never echoed")

            let basic = try await rawRequest(base + "/task", method: .POST, headers: [("Authorization", "Basic eDp5")])
            #expect(basic.status == 401 && errorMessage(basic).contains("scheme 'Basic' is not accepted"))
        }
    }

    @Test func apiKeysPassInEitherHeaderAndAMissingScopeIs403() async throws {
        try await withMasterLikeHost { base in
            let task = try await rawRequest(base + "/task", method: .POST, headers: [("X-API-Key", Self.aliceKey)])
            #expect(task.status == 200 && task.bodyText == "key:alice 7", "the principal reaches the handler")
            let bearer = try await rawRequest(
                base + "/task", method: .POST, headers: [("Authorization", "Bearer \(Self.aliceKey)")])
            #expect(bearer.status == 200 && bearer.bodyText == "key:alice 7")

            let dlq = try await rawRequest(base + "/dlq", headers: [("X-API-Key", Self.aliceKey)])
            #expect(dlq.status == 403)
            let body = try #require(dlq.json?["error"] as? [String: Any])
            #expect(body["code"] as? Int == 403 && body["requiredScope"] as? String == "dlq")
            #expect(errorMessage(dlq) == "GET /dlq needs scope 'dlq'; key:alice has task, result")
            #expect(dlq.header("WWW-Authenticate") == #"Bearer realm="test", error="insufficient_scope", scope="dlq""#)

            let push = try await rawRequest(base + "/result", method: .POST, headers: [("X-API-Key", Self.aliceKey)])
            #expect(push.status == 403 && errorMessage(push).contains("takes only mesh tokens"))
        }
    }

    @Test func hs256JWTsAreCheckedForSignatureTimesIssuerAndAudience() async throws {
        try await withMasterLikeHost { base in
            func call(_ token: String) async throws -> RawResponse {
                try await rawRequest(base + "/task", method: .POST, headers: [("Authorization", "Bearer \(token)")])
            }
            let good: [String: Any] = ["sub": "carol", "iss": "https://id.test", "aud": "mesh-api"]
            let accepted = try await call(hs256(good))
            #expect(accepted.status == 200 && accepted.bodyText == "jwt:carol 7", "\(accepted.bodyText)")

            let forged = try await call(hs256(good, secret: "another-secret-of-enough-length-0123456789"))
            #expect(forged.status == 401 && errorMessage(forged) == "the JWT's signature does not verify")
            var old = good
            old["exp"] = Date().timeIntervalSince1970 - 3600
            let expired = try await call(hs256(old))
            #expect(expired.status == 401 && errorMessage(expired).hasPrefix("the JWT expired at "))
            #expect(expired.header("WWW-Authenticate")?.contains("error_description=\"the JWT expired at") == true)
            var other = good
            other["aud"] = ["someone-else"]
            let audience = try await call(hs256(other))
            #expect(
                audience.status == 401
                    && errorMessage(audience) == "the JWT's audience is 'someone-else', not 'mesh-api'")
            var issuer = good
            issuer["iss"] = "https://evil.test"
            let wrongIssuer = try await call(hs256(issuer))
            #expect(
                wrongIssuer.status == 401
                    && errorMessage(wrongIssuer) == "the JWT's issuer is 'https://evil.test', not 'https://id.test'")
            var scoped = good
            scoped["scope"] = "mesh/dlq"
            #expect(try await call(hs256(scoped)).status == 403, "a scope claim replaces the defaults")
            let dlq = try await rawRequest(base + "/dlq", headers: [("Authorization", "Bearer \(hs256(scoped))")])
            #expect(dlq.status == 200, "'mesh/dlq' grants dlq")
        }
    }

    @Test func es256JWTsVerifyWithTheServedJWKSAndUnknownKeyIDsAreRefused() async throws {
        let key = ES256PrivateKey()
        let parameters = try #require(key.parameters)
        let jwks =
            #"{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","alg":"ES256","use":"sig","x":"\#(parameters.x)","y":"\#(parameters.y)"}]}"#
        let signer = JWTKeyCollection()
        await signer.add(ecdsa: key, kid: "k1")
        await signer.add(ecdsa: ES256PrivateKey(), kid: "k9")
        let claims = Claims(
            sub: "dave", iss: "https://id.test", aud: "mesh-api", exp: Int(Date().timeIntervalSince1970) + 300)
        let good = try await signer.sign(claims, kid: "k1")
        let unknownKid = try await signer.sign(claims, kid: "k9")
        try await HTTPTestServer.withServer(respond: { _ in .json(jwks) }) { server in
            try await withMasterLikeHost(auth: Self.auth(jwksURL: server.baseURL + "/jwks.json")) { base in
                let accepted = try await rawRequest(
                    base + "/task", method: .POST, headers: [("Authorization", "Bearer \(good)")])
                #expect(accepted.status == 200 && accepted.bodyText == "jwt:dave 7", "\(accepted.bodyText)")
                let refused = try await rawRequest(
                    base + "/task", method: .POST, headers: [("Authorization", "Bearer \(unknownKid)")])
                #expect(refused.status == 401)
                #expect(
                    errorMessage(refused) == "the JWT's key id 'k9' is not in the JWKS at \(server.baseURL)/jwks.json")
                for _ in 0..<3 {
                    _ = try await rawRequest(
                        base + "/task", method: .POST, headers: [("Authorization", "Bearer \(unknownKid)")])
                }
                #expect(
                    server.requests.count == 1,
                    "fetched once: unknown key ids refetch the JWKS at most every 30 s, so made-up ones cannot hammer it"
                )
            }
        }
    }

    @Test func rs256JWTsVerifyWithTheServedJWKSAndAForgedSignatureIsRefused() async throws {
        // An OIDC provider such as Cognito signs with RS256 and publishes the public key's modulus and exponent.
        let key = try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        let (modulus, exponent) = try key.publicKey.getKeyPrimitives()
        let jwks =
            #"{"keys":[{"kty":"RSA","kid":"r1","alg":"RS256","use":"sig","n":"\#(base64URL(modulus))","e":"\#(base64URL(exponent))"}]}"#
        let signer = JWTKeyCollection()
        await signer.add(rsa: key, digestAlgorithm: .sha256, kid: "r1")
        // Another key that claims the same key id: what a forger without the provider's key could do.
        let forger = JWTKeyCollection()
        await forger.add(
            rsa: try Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048)),
            digestAlgorithm: .sha256, kid: "r1")
        let now = Int(Date().timeIntervalSince1970)
        let claims = Claims(sub: "erin", iss: "https://id.test", aud: "mesh-api", exp: now + 300)
        let good = try await signer.sign(claims, kid: "r1")
        let forged = try await forger.sign(claims, kid: "r1")
        let expired = try await signer.sign(
            Claims(sub: "erin", iss: "https://id.test", aud: "mesh-api", exp: now - 60), kid: "r1")
        let otherAudience = try await signer.sign(
            Claims(sub: "erin", iss: "https://id.test", aud: "someone-else", exp: now + 300), kid: "r1")
        try await HTTPTestServer.withServer(respond: { _ in .json(jwks) }) { server in
            try await withMasterLikeHost(auth: Self.auth(jwksURL: server.baseURL + "/jwks.json")) { base in
                func call(_ token: String) async throws -> RawResponse {
                    try await rawRequest(base + "/task", method: .POST, headers: [("Authorization", "Bearer \(token)")])
                }
                let accepted = try await call(good)
                #expect(accepted.status == 200 && accepted.bodyText == "jwt:erin 7", "\(accepted.bodyText)")
                for (token, what) in [(forged, "forged"), (expired, "expired"), (otherAudience, "wrong audience")] {
                    let refused = try await call(token)
                    #expect(refused.status == 401, "\(what): \(refused.bodyText)")
                    #expect(
                        refused.header("WWW-Authenticate")?.contains("invalid_token") == true,
                        "\(what): \(refused.header("WWW-Authenticate") ?? "no challenge")")
                    #expect(!errorMessage(refused).isEmpty, "\(what)")
                }
            }
        }
    }

    @Test func anAgentTakesOnlyMeshTokens() async throws {
        var configuration = AgentHostConfiguration(name: "worker", port: 0, logLevel: .critical)
        configuration.security = HostSecurity.agent(auth: Self.auth(), meshName: "test", agent: "worker")
        let host = buildAgentHost(
            card: ConformanceAgent.card, executor: ConformanceAgent(), configuration: configuration)
        try await withRunningHost(host) { base in
            #expect(try await rawRequest(base + "/ping").status == 200)
            let card = try await AgentCardResolver().resolve(base)
            #expect(card.securitySchemes.map { Array($0.keys) } == ["meshToken"])

            let message = SendMessageRequest(message: userMessage("hello-\(UUID().uuidString)"))
            let anonymous = try A2AClient(card: card)
            await #expect(throws: A2AClientError.self) { _ = try await anonymous.sendMessage(message) }
            let missing = try await rawRequest(
                base + "/", method: .POST, headers: [("Content-Type", "application/json")])
            #expect(missing.status == 401 && errorMessage(missing).contains("a mesh token"))

            let keyHolder = try await rawRequest(base + "/", method: .POST, headers: [("X-API-Key", Self.aliceKey)])
            #expect(keyHolder.status == 403, "a client's key is good, but not here")
            #expect(errorMessage(keyHolder).contains("key:alice is authenticated, but POST / needs a mesh token"))

            let stranger = MeshTokenIssuer(meshKey: "another-mesh-key-of-enough-length", meshName: "test", agent: "x")
            let forged = try await rawRequest(
                base + "/", method: .POST, headers: [("Authorization", "Bearer \(stranger.token())")])
            #expect(forged.status == 401 && errorMessage(forged).contains("not signed with this mesh's key"))
            let otherMesh = MeshTokenIssuer(meshKey: Self.meshKey, meshName: "other", agent: "x")
            let wrongMesh = try await rawRequest(
                base + "/", method: .POST, headers: [("Authorization", "Bearer \(otherMesh.token())")])
            #expect(
                wrongMesh.status == 401
                    && errorMessage(wrongMesh) == "the mesh token is for 'mesh:other', not 'mesh:test'")
            let expiredToken = MeshTokenIssuer(meshKey: Self.meshKey, meshName: "test", agent: "master")
                .mint(lifetime: 60, now: Date().addingTimeInterval(-600))
            let expired = try await rawRequest(
                base + "/", method: .POST, headers: [("Authorization", "Bearer \(expiredToken)")])
            #expect(expired.status == 401 && errorMessage(expired).hasPrefix("the mesh token expired at"))

            let issuer = MeshTokenIssuer(meshKey: Self.meshKey, meshName: "test", agent: "master")
            let client = try A2AClient(
                card: card, configuration: A2AClientConfiguration(dynamicHeaders: issuer.headers))
            let response = try await client.sendMessage(message)
            guard case .message = response else {
                if case .task = response { return }
                Issue.record("unexpected \(response)")
                return
            }
        }
    }

    @Test func theMeshTokenIssuerRenewsAtHalfLife() {
        let issuer = MeshTokenIssuer(meshKey: Self.meshKey, meshName: "test", agent: "a", lifetime: .seconds(300))
        let start = Date()
        let first = issuer.token(now: start)
        #expect(issuer.token(now: start.addingTimeInterval(149)) == first)
        #expect(issuer.token(now: start.addingTimeInterval(151)) != first)
    }
}

extension RawResponse {
    fileprivate var bodyText: String { String(decoding: body, as: UTF8.self) }
}
