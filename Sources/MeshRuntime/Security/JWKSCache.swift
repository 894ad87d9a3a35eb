import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore

/// The keys of a JWKS endpoint, fetched on first use and again when a token names a key id the set does not
/// hold (a rotation), but at most once per ``minimumRefetchInterval`` so that made-up key ids cannot hammer
/// the endpoint.
actor JWKSCache {
    let url: String
    let httpClient: HTTPClient
    let minimumRefetchInterval: Duration
    private var keys: JWTKeyCollection?
    private var keyIDs: Set<String> = []
    private var lastFetch: ContinuousClock.Instant?
    private var lastError: String?

    init(url: String, httpClient: HTTPClient, minimumRefetchInterval: Duration = .seconds(30)) {
        self.url = url
        self.httpClient = httpClient
        self.minimumRefetchInterval = minimumRefetchInterval
    }

    /// The key collection that holds `kid` (or the set's only key when the token names none).
    func keys(for kid: String?) async throws(AuthFailure) -> JWTKeyCollection {
        let known = kid.map { keyIDs.contains($0) } ?? (keyIDs.count == 1)
        if keys == nil || !known, mayFetch {
            await fetch()
        }
        guard let keys else {
            throw .invalid(
                "the JWKS at \(url) could not be fetched (\(lastError ?? "no answer")), so no JWT can be verified")
        }
        if let kid {
            guard keyIDs.contains(kid) else { throw .invalid("the JWT's key id '\(kid)' is not in the JWKS at \(url)") }
        } else if keyIDs.count != 1 {
            throw .invalid("the JWT has no kid header and the JWKS at \(url) holds \(keyIDs.count) keys")
        }
        return keys
    }

    private var mayFetch: Bool {
        guard let lastFetch else { return true }
        return ContinuousClock.now - lastFetch >= minimumRefetchInterval
    }

    private func fetch() async {
        lastFetch = .now
        do {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "accept", value: "application/json")
            let response = try await httpClient.execute(request, timeout: .seconds(5))
            let body = try await response.body.collect(upTo: 1 << 20)
            guard response.status.code == 200 else {
                lastError = "HTTP \(response.status.code)"
                return
            }
            let jwks = try JSONDecoder().decode(JWKS.self, from: Data(body.readableBytesView))
            let collection = JWTKeyCollection()
            try await collection.add(jwks: jwks)
            keys = collection
            keyIDs = Set(jwks.keys.compactMap { $0.keyIdentifier?.string })
            lastError = nil
        } catch {
            lastError = "\(error)"
        }
    }
}

/// One HMAC key as a jwt-kit collection, made on first use (collections are actors).
actor HMACKeys {
    private let secret: String
    private var collection: JWTKeyCollection?

    init(secret: String) { self.secret = secret }

    func keys() async -> JWTKeyCollection {
        if let collection { return collection }
        let made = await JWTKeyCollection().add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        collection = made
        return made
    }
}
