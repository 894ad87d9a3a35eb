import ArgumentParser
import Foundation
import MeshRuntime
import Redis

/// Where an agent keeps its tasks: in memory, or in Redis when a URL or the `REDIS_*` variables say so.
struct RedisOptions: ParsableArguments {
    @Option(name: .customLong("redis-url"), help: "redis:// or rediss:// URL (user and password may be in it); REDIS_URL works too.")
    var url: String?

    @Option(name: .customLong("redis-ca"), help: "CA file that verifies the Redis server's certificate (REDIS_CA_FILE).")
    var caFile: String?

    @Option(name: .customLong("redis-cert"), help: "Client certificate for mutual TLS (REDIS_CERT_FILE).")
    var certFile: String?

    @Option(name: .customLong("redis-key"), help: "Client key for mutual TLS (REDIS_KEY_FILE).")
    var keyFile: String?

    /// The Redis settings, or nil when neither flags nor `REDIS_URL`/`REDIS_HOST` ask for Redis.
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RedisConfiguration? {
        let wanted = url != nil || ["REDIS_URL", "REDIS_HOST"].contains { !(environment[$0] ?? "").isEmpty }
        guard wanted else { return nil }
        return try RedisConfiguration.load(url: url, caFile: caFile, certFile: certFile, keyFile: keyFile, environment: environment)
    }

    /// Connects and checks Redis for `agent`; nil when Redis is not configured.
    func connect(agent: String) async throws -> RedisStorage? {
        guard let configuration = try configuration() else { return nil }
        return try await RedisStorage.connect(configuration: configuration, agent: agent)
    }
}
