import MeshTesting
import Redis
import Testing

/// Each clear failure of the issue: the error case, and the text a person reads.
@Suite("Redis connection failures name their cause", .timeLimit(.minutes(2)))
struct RedisConnectionFailureTests {
    @Test func wrongPasswordNamesUserAndServer() async throws {
        try await RedisServer.with(mode: .plain) { server in
            var configuration = server.configuration()
            configuration.password = "not-the-password"
            await expectRedisError {
                _ = try await server.connect(configuration)
            } _: { error in
                guard case .authenticationFailed(let user, let address, let reply) = error else {
                    Issue.record("got \(error)"); return
                }
                #expect(user == server.username)
                #expect(address == server.address)
                #expect(reply.hasPrefix("WRONGPASS"))
                #expect(error.description.contains("'\(server.username)'"))
                #expect(error.description.contains(server.address))
                #expect(!error.description.contains("not-the-password"))
            }
        }
    }

    @Test func wrongUserNamesUser() async throws {
        try await RedisServer.with(mode: .tls) { server in
            var configuration = server.configuration()
            configuration.username = "nobody"
            await expectRedisError {
                _ = try await server.connect(configuration)
            } _: { error in
                guard case .authenticationFailed(let user, let address, _) = error else {
                    Issue.record("got \(error)"); return
                }
                #expect(user == "nobody")
                #expect(address == server.address)
                #expect(error.description.contains("'nobody'") && error.description.contains(server.address))
            }
        }
    }

    @Test func untrustedCertificateNamesCAFile() async throws {
        try await RedisServer.with(mode: .tls) { server in
            var configuration = server.configuration()
            configuration.tls = .enabled(caFile: server.otherCAFile)
            await expectRedisError {
                _ = try await server.connect(configuration)
            } _: { error in
                guard case .untrustedCertificate(let address, let caFile, _) = error else {
                    Issue.record("got \(error)"); return
                }
                #expect(address == server.address)
                #expect(caFile == server.otherCAFile)
                #expect(error.description.contains(server.otherCAFile))
                #expect(error.description.contains("does not trust"))
            }
        }
    }

    @Test func clientCertificateRequired() async throws {
        try await RedisServer.with(mode: .mutualTLS) { server in
            var configuration = server.configuration()
            configuration.tls = .enabled(caFile: server.caFile)
            await expectRedisError {
                _ = try await server.connect(configuration)
            } _: { error in
                #expect(error == .clientCertificateRequired(server: server.address))
                #expect(error.description.contains("requires a client certificate"))
                #expect(error.description.contains(server.address))
            }
        }
    }

    @Test func connectionRefusedNamesServer() async throws {
        let port = try freeLoopbackPort()
        let configuration = RedisConfiguration(host: "127.0.0.1", port: port, password: "x")
        await expectRedisError {
            _ = try await RedisConnection.connect(configuration: configuration)
        } _: { error in
            #expect(error == .connectionRefused(server: "127.0.0.1:\(port)"))
            #expect(error.description.contains("127.0.0.1:\(port)"))
            #expect(error.description.contains("refused"))
        }
    }

    @Test func plainTCPToTLSPort() async throws {
        try await RedisServer.with(mode: .tls) { server in
            var configuration = server.configuration()
            configuration.tls = .disabled
            await expectRedisError {
                _ = try await server.connect(configuration)
            } _: { error in
                guard case .protocolMismatch(let address, _) = error else { Issue.record("got \(error)"); return }
                #expect(address == server.address)
                #expect(error.description.contains("plain TCP was sent"))
                #expect(error.description.contains("TLS"))
            }
        }
    }

    @Test func tlsToPlainPort() async throws {
        try await RedisServer.with(mode: .plain) { server in
            var configuration = server.configuration()
            configuration.tls = .enabled(caFile: server.caFile)
            configuration.connectTimeout = .seconds(1)
            await expectRedisError {
                _ = try await server.connect(configuration)
            } _: { error in
                guard case .protocolMismatch(let address, _) = error else { Issue.record("got \(error)"); return }
                #expect(address == server.address)
                #expect(error.description.contains("TLS was sent"))
                #expect(error.description.contains("plain"))
            }
        }
    }

    @Test func missingCAFileIsAConfigurationError() async throws {
        var configuration = RedisConfiguration(port: 6390, password: "x")
        configuration.tls = .enabled(caFile: "/nonexistent/ca.crt")
        await expectRedisError {
            _ = try await RedisConnection.connect(configuration: configuration)
        } _: { error in
            guard case .configuration(let text) = error else { Issue.record("got \(error)"); return }
            #expect(text.contains("/nonexistent/ca.crt"))
        }
    }
}
