import Foundation
import MeshTesting
import Testing

@Suite("RedisServer fixture")
struct RedisServerFixtureTests {
    @Test("each mode starts and answers PING as the ACL user", arguments: RedisServer.Mode.allCases)
    func pingEachMode(mode: RedisServer.Mode) async throws {
        try await RedisServer.with(mode: mode) { server async throws in
            #expect(try await server.redisCLI("PING") == "PONG")
            #expect(try await server.redisCLI("ACL", "WHOAMI") == server.username)
            #expect(FileManager.default.fileExists(atPath: server.otherCAFile))
        }
    }

    @Test("the default user needs requirepass")
    func defaultUserNeedsPassword() async throws {
        try await RedisServer.with { server async throws in
            let anonymous = try await runTool("redis-cli", ["-h", server.host, "-p", String(server.port), "PING"])
            #expect(anonymous.contains("NOAUTH"))
            let withPassword = try await runTool(
                "redis-cli",
                ["-h", server.host, "-p", String(server.port), "-a", server.password, "--no-auth-warning", "PING"])
            #expect(withPassword == "PONG\n")
        }
    }

    @Test("mutual TLS refuses a client without a certificate")
    func mutualTLSNeedsClientCertificate() async throws {
        try await RedisServer.with(mode: .mutualTLS) { server async throws in
            let arguments = [
                "-h", server.host, "-p", String(server.port), "--tls", "--cacert", server.caFile,
                "--user", server.username, "--pass", server.password, "--no-auth-warning", "PING",
            ]
            let output = try? await runTool("redis-cli", arguments)
            #expect(output != "PONG\n")
        }
    }

    @Test("a server certificate is not trusted by the other CA")
    func otherCADoesNotTrustServer() async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            let output = try? await runTool(
                "redis-cli",
                [
                    "-h", server.host, "-p", String(server.port), "--tls", "--cacert", server.otherCAFile,
                    "--user", server.username, "--pass", server.password, "--no-auth-warning", "PING",
                ])
            #expect(output != "PONG\n")
        }
    }

    @Test("restart keeps the port, and AOF keeps acknowledged writes")
    func restartWithAOF() async throws {
        try await RedisServer.with(mode: .tls, appendOnly: true) { server async throws in
            #expect(try await server.redisCLI("SET", "k", "v") == "OK")
            let firstPID = server.pid
            await server.crash()
            try await server.restart()
            #expect(server.pid != firstPID)
            #expect(try await server.redisCLI("GET", "k") == "v")
        }
    }

    @Test("stop ends the process and removes the directory")
    func stopCleansUp() async throws {
        let server = try await RedisServer.start()
        let pid = try #require(server.pid)
        await server.stop()
        #expect(server.pid == nil)
        #expect(kill(pid, 0) != 0)
        #expect(!FileManager.default.fileExists(atPath: server.directory))
    }
}
