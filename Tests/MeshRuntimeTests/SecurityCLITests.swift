import Foundation
import MeshRuntime
import MeshTesting
import Testing

/// `mesh auth` and the client commands' `--api-key`, as real processes.
@Suite("Security CLI")
struct SecurityCLITests {
    @Test func newKeyPrintsAKeyAndAnEntryThatLoadsAndHashKeyAgrees() async throws {
        let made = try await runMesh(["auth", "new-key", "--id", "alice", "--scopes", "task", "dlq"])
        #expect(made.status == 0, "\(made.stderr)")
        let key = try #require(
            made.stdout.split(separator: "\n").first { $0.hasPrefix("key: ") }.map { String($0.dropFirst(5)) })
        #expect(key.hasPrefix("mk_") && key.count > 40)
        let entry = try #require(made.stdout.split(separator: "\n").first { $0.hasPrefix("- { id: alice") })
        #expect(entry.contains("sha256: \"\(AuthSettings.APIKey.hash(of: key))\"") && entry.contains("[task, dlq]"))

        let files = try TemporaryMesh(
            mesh: SampleMesh.mesh + "\nauth:\n  apiKeys:\n    \(entry)\n",
            agents: ["alpha": SampleMesh.alpha, "beta": SampleMesh.beta])
        defer { files.remove() }
        #expect(try files.load().auth.apiKeys.first?.scopes == [.task, .dlq], "the printed entry is valid YAML")

        let bad = try await runMesh(["auth", "new-key", "--id", "bob", "--scopes", "admin"])
        #expect(bad.status != 0 && bad.stderr.contains("unknown scope 'admin'"))
    }

    @Test func meshTokenMintsATokenAMeshKeyedAgentAccepts() async throws {
        let files = try TemporaryMesh(
            mesh: SampleMesh.mesh, agents: ["alpha": SampleMesh.alpha, "beta": SampleMesh.beta])
        defer { files.remove() }
        let key = "a-mesh-key-for-the-cli-test-0123456789"
        let none = try await runMesh(["auth", "mesh-token", "--agent", "ops", "--config", files.meshFile])
        #expect(none.status != 0 && none.stderr.contains("no mesh key"))
        let minted = try await runMesh(
            ["auth", "mesh-token", "--agent", "ops", "--config", files.meshFile], environment: ["MESH_KEY": key])
        #expect(minted.status == 0, "\(minted.stderr)")
        let token = minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let verifier = CredentialVerifier(settings: AuthSettings(meshKey: key), meshName: "sample")
        let principal = try await verifier.principal(for: .bearerJWT(token))
        #expect(principal.subject == "agent:ops" && principal.kind == .mesh)
    }

    @Test func clientCommandsSendTheAPIKeyAndShowTheMastersReason() async throws {
        let body = #"{"error":{"code":401,"status":"Unauthenticated","message":"unknown API key"}}"#
        try await HTTPTestServer.withServer(respond: { request in
            request.header("X-API-Key") == "mk_good"
                ? .json(#"{"size":0,"entries":[]}"#) : .json(body, status: 401)
        }) { master in
            let flagged = try await runMesh(["dlq", "--master", master.baseURL, "--api-key", "mk_good"])
            #expect(flagged.status == 0, "\(flagged.stderr)")
            let fromEnvironment = try await runMesh(
                ["dlq", "--master", master.baseURL], environment: ["MESH_API_KEY": "mk_good"])
            #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
            let refused = try await runMesh(["dlq", "--master", master.baseURL, "--api-key", "mk_bad"])
            #expect(refused.status != 0 && refused.stderr.contains("unknown API key"), "\(refused.stderr)")
            #expect(master.requests.map { $0.header("X-API-Key") } == ["mk_good", "mk_good", "mk_bad"])
        }
    }
}
