import Foundation
import Testing

@testable import MeshRuntime

/// Mesh tokens that verified are remembered until they expire, and only until then.
@Suite("Mesh token verification cache")
struct MeshTokenCacheTests {
    static let meshKey = "the-mesh-key-of-the-cache-tests-000000"

    @Test func aVerifiedTokenIsKnownUntilItExpires() async throws {
        let verifier = MeshTokenVerifier(meshKey: Self.meshKey, meshName: "cache")
        let now = Date()
        let token = MeshTokenIssuer(meshKey: Self.meshKey, meshName: "cache", agent: "worker-a")
            .mint(lifetime: 60, now: now)
        #expect(try verifier.knownAgent(token, now: now) == nil)
        #expect(try await verifier.verify(token, now: now) == "worker-a")
        #expect(try verifier.knownAgent(token, now: now) == "worker-a")
        #expect(try await verifier.verify(token, now: now.addingTimeInterval(30)) == "worker-a")
        // Known, but expired by now: refused all the same.
        await #expect(throws: AuthFailure.self) {
            try await verifier.verify(token, now: now.addingTimeInterval(3600))
        }
    }

    @Test func aTokenOfAnotherMeshKeyIsNeverRemembered() async throws {
        let verifier = MeshTokenVerifier(meshKey: Self.meshKey, meshName: "cache")
        let forged = MeshTokenIssuer(meshKey: "another-mesh-key-of-the-cache-tests-0", meshName: "cache", agent: "x")
            .token()
        for _ in 0..<2 {
            await #expect(throws: AuthFailure.self) { try await verifier.verify(forged) }
        }
        #expect(try verifier.knownAgent(forged) == nil)
    }
}
