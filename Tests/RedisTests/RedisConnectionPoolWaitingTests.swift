import MeshTesting
import Redis
import Testing

@Suite("Redis connection pool: waiting and shutdown", .timeLimit(.minutes(1)))
struct RedisConnectionPoolWaitingTests {
    @Test func callersWaitWhenExhausted() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let pool = try RedisConnectionPool(configuration: server.configuration(poolSize: 1))
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await pool.withConnection { connection in
                        _ = try await connection.run(RedisCommand("SET", "holder", "1"))
                        try await Task.sleep(for: .milliseconds(300))
                    }
                }
                try await Task.sleep(for: .milliseconds(50))
                group.addTask {
                    // Waits for the only connection, then gets the same one back.
                    let value = try await pool.run(RedisCommand("GET", "holder"))
                    #expect(value.string == "1")
                    #expect(ContinuousClock.now - started >= .milliseconds(300))
                }
                try await group.waitForAll()
            }
            #expect(pool.openConnections == 1)
            await pool.close()
        }
    }

    @Test func cancelledWaiterLeavesTheQueue() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let pool = try RedisConnectionPool(configuration: server.configuration(poolSize: 1))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await pool.withConnection { _ in try await Task.sleep(for: .milliseconds(400)) }
                }
                try await Task.sleep(for: .milliseconds(50))
                try await withThrowingTaskGroup(of: Void.self) { waiters in
                    waiters.addTask { _ = try await pool.run(RedisCommand("PING")) }
                    try await Task.sleep(for: .milliseconds(50))
                    waiters.cancelAll()
                    await #expect(throws: CancellationError.self) { try await waiters.next() }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.run(RedisCommand("PING")) == .simpleString("PONG"))
            await pool.close()
        }
    }

    @Test func closeWaitsForLeasedConnections() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let pool = try RedisConnectionPool(configuration: server.configuration(poolSize: 2))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await pool.withConnection { connection in
                        try await Task.sleep(for: .milliseconds(300))
                        // Still usable: shutdown waits for leased connections to come back.
                        #expect(try await connection.run(RedisCommand("PING")) == .simpleString("PONG"))
                    }
                }
                try await Task.sleep(for: .milliseconds(50))
                let started = ContinuousClock.now
                await pool.close()
                #expect(ContinuousClock.now - started >= .milliseconds(200))
                #expect(pool.openConnections == 0)
                try await group.waitForAll()
            }
        }
    }
}
