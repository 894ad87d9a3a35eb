import CloudMap
import Foundation
import MeshTesting
import Redis
import Synchronization
import Testing

extension RedisServer {
    /// How a registry reaches this server: as the ACL user, over TLS when the server speaks it.
    func registryRedisConfiguration() -> RedisConfiguration {
        RedisConfiguration(
            host: host, port: port, username: username, password: password,
            tls: usesTLS ? .enabled(caFile: caFile, certFile: nil, keyFile: nil) : .disabled,
            connectTimeout: .seconds(3), commandTimeout: .seconds(5), poolSize: 4)
    }

    /// The registry's keys and their raw values, to show that a call left Redis as it was.
    func registryDump() async throws -> [String: String] {
        var dump: [String: String] = [:]
        for suffix in ["version", "state"] {
            dump[suffix] = try await redisCLI("GET", "mesh:{registry}:\(suffix)")
        }
        dump["operations"] = try await redisCLI("HLEN", "mesh:{registry}:operations")
        dump["operation-order"] = try await redisCLI("LRANGE", "mesh:{registry}:operation-order", "0", "-1")
        return dump
    }
}

/// A clock that tests move by hand, shared by stores that stand for replicas on one host.
final class TestClock: Sendable {
    private let time = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
    var now: Date { time.withLock { $0 } }
    func advance(by seconds: TimeInterval) { time.withLock { $0 += seconds } }
}

/// Runs `body` with `count` Redis stores on one server, each on a pool of its own as separate replicas would be.
func withRedisRegistryStores(
    _ server: RedisServer, count: Int = 2, configuration: RegistryConfiguration = .init(), clock: TestClock? = nil,
    _ body: ([RedisRegistryStore]) async throws -> Void
) async throws {
    var pools: [RedisConnectionPool] = []
    var stores: [RedisRegistryStore] = []
    let now: @Sendable () -> Date = { clock?.now ?? Date() }
    do {
        for _ in 0..<count {
            let pool = try RedisConnectionPool(
                configuration: server.registryRedisConfiguration(),
                reconnectPolicy: RedisReconnectPolicy(
                    initialDelay: .milliseconds(20), maximumDelay: .milliseconds(300), giveUpAfter: .seconds(20)))
            pools.append(pool)
            try await pool.verify()
            stores.append(RedisRegistryStore(redis: pool, configuration: configuration, now: now))
        }
        try await body(stores)
    } catch {
        for pool in pools { await pool.close() }
        throw error
    }
    for pool in pools { await pool.close() }
}

/// Creates namespace `mesh.local` and service `agents` with a custom health check through `store`.
func makeService(in store: any RegistryStore) async throws -> (namespace: String, service: String) {
    let created = try await store.createHttpNamespace(.init(name: "mesh.local"))
    let operation = try await store.getOperation(.init(operationId: created.operationId ?? ""))
    let namespaceId = try #require(operation.operation?.targets?["NAMESPACE"])
    let service = try await store.createService(
        .init(name: "agents", namespaceId: namespaceId, healthCheckCustomConfig: .init()))
    return (namespaceId, try #require(service.service?.id))
}
