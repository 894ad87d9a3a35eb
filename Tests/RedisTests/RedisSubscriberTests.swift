import MeshTesting
import Redis
import Testing

@Suite("Redis pub/sub subscriber", .timeLimit(.minutes(2)))
struct RedisSubscriberTests {
    @Test func receivesPublishAndKeyspaceNotification() async throws {
        try await RedisServer.with(mode: .tls) { server in
            let pool = try RedisConnectionPool(configuration: server.configuration())
            let subscriber = try RedisSubscriber(configuration: server.configuration())
            _ = try await pool.run(RedisCommand("CONFIG", "SET", "notify-keyspace-events", "KEA"))
            let received = try await withThrowingTaskGroup(of: [RedisMessage].self) { group in
                group.addTask {
                    try await subscriber.run()
                    return []
                }
                group.addTask {
                    var messages: [RedisMessage] = []
                    for await message in subscriber.messages {
                        messages.append(message)
                        if messages.count == 2 { break }
                    }
                    return messages
                }
                try await subscriber.subscribe(["news"])
                try await subscriber.psubscribe(["__keyspace@0__:watched*"])
                #expect(try await pool.run(RedisCommand("PUBLISH", "news", "hello")) == .integer(1))
                _ = try await pool.run(RedisCommand("SET", "watched-key", "1"))
                var received: [RedisMessage] = []
                while let messages = try await group.next() {
                    if !messages.isEmpty {
                        received = messages
                        break
                    }
                }
                group.cancelAll()
                return received
            }
            #expect(received.first == RedisMessage(channel: "news", payload: Array("hello".utf8)))
            #expect(received.last?.channel == "__keyspace@0__:watched-key")
            #expect(received.last?.pattern == "__keyspace@0__:watched*")
            #expect(received.last?.text == "set")
            await pool.close()
        }
    }

    @Test func resubscribesAfterServerRestart() async throws {
        try await RedisServer.with(mode: .plain) { server in
            let pool = try RedisConnectionPool(
                configuration: server.configuration(), reconnectPolicy: testReconnectPolicy)
            let subscriber = try RedisSubscriber(
                configuration: server.configuration(), reconnectPolicy: testReconnectPolicy)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await subscriber.run() }
                try await subscriber.subscribe(["alerts"])
                try await server.restart()
                // Pub/sub drops messages while disconnected: publish until the resubscribed connection hears one.
                group.addTask {
                    for await message in subscriber.messages where message.text == "after-restart" { return }
                }
                group.addTask {
                    while try await pool.run(RedisCommand("PUBLISH", "alerts", "after-restart")) == .integer(0) {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                // The consumer returns first or right after the publisher; then stop the subscriber.
                _ = try await group.next()
                _ = try await group.next()
                group.cancelAll()
            }
            await pool.close()
        }
    }
}
