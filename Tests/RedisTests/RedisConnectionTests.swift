import MeshTesting
import Redis
import Testing

@Suite("Redis connection against real servers", .timeLimit(.minutes(2)))
struct RedisConnectionTests {
    @Test func setGetAndPipelineInOrder() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let connection = try await server.connect()
            #expect(try await connection.run(RedisCommand("SET", "greeting", "hello")) == .simpleString("OK"))
            #expect(try await connection.run(RedisCommand("GET", "greeting")).string == "hello")
            #expect(try await connection.run(RedisCommand("GET", "missing")) == .null)

            let increments = (0..<1000).map { _ in RedisCommand("INCR", "counter") }
            let replies = try await connection.pipeline(increments)
            #expect(replies == (1...1000).map { RESPValue.integer(Int64($0)) })

            let mixed = try await connection.pipeline([
                RedisCommand("SET", "a", "1"), RedisCommand("LPUSH", "a", "x"), RedisCommand("GET", "a"),
            ])
            #expect(mixed[0] == .simpleString("OK"))
            #expect(mixed[1].isError)
            #expect(mixed[2].string == "1")
            await connection.close()
        }
    }

    @Test func binaryAndFourMiBValues() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let connection = try await server.connect()
            let big = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let binary: [UInt8] = [0, 13, 10, 255, 36, 42, 13, 10]
            _ = try await connection.run(RedisCommand("SET", [RedisArgument("big"), RedisArgument(bytes: big)]))
            _ = try await connection.run(RedisCommand("SET", [RedisArgument("bin"), RedisArgument(bytes: binary)]))
            #expect(try await connection.run(RedisCommand("GET", "big")) == .bulkString(big))
            #expect(try await connection.run(RedisCommand("GET", "bin")) == .bulkString(binary))
            await connection.close()
        }
    }

    @Test func concurrentCommandsOnOneConnection() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let connection = try await server.connect()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        _ = try await connection.run(
                            RedisCommand("SET", RedisArgument("k\(index)"), RedisArgument("\(index)")))
                        #expect(
                            try await connection.run(RedisCommand("GET", RedisArgument("k\(index)"))).string
                                == "\(index)")
                    }
                }
                try await group.waitForAll()
            }
            await connection.close()
        }
    }

    @Test func passwordOnlyAuthAndSelect() async throws {
        try await RedisServer.with(mode: .plain) { server in
            var configuration = server.configuration()
            configuration.username = nil
            configuration.database = 3
            let connection = try await server.connect(configuration)
            #expect(try await connection.run(RedisCommand("ACL", "WHOAMI")).string == "default")
            _ = try await connection.run(RedisCommand("SET", "in-db-3", "yes"))
            #expect(try await server.redisCLI("-n", "3", "GET", "in-db-3") == "yes")
            #expect(try await server.redisCLI("GET", "in-db-3") == "")
            await connection.close()
        }
    }

    @Test func errorReplyThrowsServerError() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let connection = try await server.connect()
            await expectRedisError {
                _ = try await connection.run(RedisCommand("NOSUCHCOMMAND"))
            } _: { error in
                guard case .server(let message) = error else { Issue.record("got \(error)"); return }
                #expect(message.hasPrefix("ERR unknown command"))
            }
            #expect(try await connection.run(RedisCommand("PING")) == .simpleString("PONG"))  // still usable
            await connection.close()
        }
    }

    @Test func commandTimeoutFailsAndCloses() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let connection = try await server.connect(server.configuration(commandTimeout: .milliseconds(200)))
            await expectRedisError {
                _ = try await connection.run(RedisCommand("BLPOP", "empty-list", "0"))
            } _: { error in
                #expect(error == .timeout(command: "BLPOP", server: server.address))
                #expect(error.description.contains(server.address))
            }
            // The close runs on the connection's event loop; under the parallel suite's load it can take a while.
            let deadline = ContinuousClock.now + .seconds(5)
            while connection.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(!connection.isActive)
        }
    }

    @Test func tlsVerifiedAgainstCAFile() async throws {
        try await RedisServer.with(mode: .tls) { server in
            let connection = try await server.connect()
            #expect(try await connection.run(RedisCommand("ACL", "WHOAMI")).string == server.username)
            let replies = try await connection.pipeline(
                (0..<100).map { RedisCommand("INCR", RedisArgument("n\($0 % 3)")) })
            #expect(replies.count == 100)
            await connection.close()
        }
    }

    @Test func tlsWithServerName() async throws {
        try await RedisServer.with(mode: .tls) { server in
            var configuration = server.configuration()
            configuration.tls = .enabled(caFile: server.caFile, serverName: "localhost")
            let connection = try await server.connect(configuration)
            #expect(try await connection.run(RedisCommand("PING")) == .simpleString("PONG"))
            await connection.close()
        }
    }

    @Test func mutualTLS() async throws {
        try await RedisServer.with(mode: .mutualTLS) { server in
            let connection = try await server.connect()
            #expect(try await connection.run(RedisCommand("PING")) == .simpleString("PONG"))
            #expect(try await connection.run(RedisCommand("ACL", "WHOAMI")).string == server.username)
            await connection.close()
        }
    }
}

extension RESPValue {
    var isError: Bool {
        if case .error = self { return true }
        return false
    }
}
