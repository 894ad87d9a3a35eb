import AsyncHTTPClient
import Foundation
import JWTKit

/// Verifies clients' JWTs: HS256 with the shared secret, RS256/ES256 (and the other configured algorithms)
/// with the JWKS, then `exp`, `nbf`, issuer and audience.
struct ClientJWTVerifier: Sendable {
    let settings: AuthSettings.JWT
    private let hmac: HMACKeys?
    private let jwks: JWKSCache?

    init(settings: AuthSettings.JWT, httpClient: HTTPClient) {
        self.settings = settings
        hmac = settings.hs256Secret.isEmpty ? nil : HMACKeys(secret: settings.hs256Secret)
        jwks = settings.jwksURL.isEmpty ? nil : JWKSCache(url: settings.jwksURL, httpClient: httpClient)
    }

    var isEnabled: Bool { settings.isEnabled }

    func verify(_ token: String, header: UnverifiedJWT.Header) async throws(AuthFailure) -> ClientJWTClaims {
        let algorithm = header.alg ?? "none"
        let keys: JWTKeyCollection
        if algorithm == "HS256", let hmac {
            keys = await hmac.keys()
        } else if let jwks, settings.algorithms.contains(algorithm) {
            keys = try await jwks.keys(for: header.kid)
        } else {
            throw .invalid("JWT algorithm \(algorithm) is not accepted (accepted: \(accepted.joined(separator: ", ")))")
        }
        let claims: ClientJWTClaims
        do {
            claims = try await keys.verify(token, as: ClientJWTClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw .invalid("the JWT's signature does not verify")
        } catch let error as JWTError {
            throw .invalid("the JWT cannot be verified: \(error.reason ?? error.errorType.description)")
        } catch {
            throw .invalid("the JWT cannot be verified: \(error)")
        }
        try TokenTimes.check(exp: claims.exp, nbf: claims.nbf, what: "JWT")
        if !settings.issuer.isEmpty, claims.iss != settings.issuer {
            throw .invalid("the JWT's issuer is '\(claims.iss ?? "")', not '\(settings.issuer)'")
        }
        if !settings.audience.isEmpty {
            let audiences = (claims.aud?.values ?? []) + (claims.client_id.map { [$0] } ?? [])
            guard audiences.contains(settings.audience) else {
                throw .invalid(
                    "the JWT's audience is '\(audiences.joined(separator: ", "))', not '\(settings.audience)'")
            }
        }
        guard claims.sub != nil || claims.client_id != nil else {
            throw .invalid("the JWT names no subject (sub or client_id)")
        }
        return claims
    }

    private var accepted: [String] {
        (settings.hs256Secret.isEmpty ? [] : ["HS256"]) + (settings.jwksURL.isEmpty ? [] : settings.algorithms)
    }
}
