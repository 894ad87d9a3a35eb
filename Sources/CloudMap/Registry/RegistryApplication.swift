import Hummingbird
import Logging
import Redis
import ServiceLifecycle

/// Builds the embedded registry as a Hummingbird application: the router over `store` with the
/// heartbeat sweeper as its service. `onServerRunning` receives the bound port (useful with port 0).
///
/// - Parameter services: what `store` needs running, e.g. the Redis pool of a ``RedisRegistryStore``;
///   they start before the sweeper and the server, and stop after them.
public func buildRegistryApplication(
    host: String = "127.0.0.1", port: Int, configuration: RegistryConfiguration = .init(),
    store: (any RegistryStore)? = nil, services: [any Service] = [], logger: Logger = Logger(label: "mesh.registry"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let store = store ?? InMemoryRegistryStore(configuration: configuration)
    return Application(
        router: buildRegistryRouter(store: store, logger: logger),
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "mesh-registry"),
        services: services + [RegistrySweeper(store: store, interval: configuration.sweepInterval, logger: logger)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}

/// Runs the embedded registry until SIGTERM or SIGINT, then shuts it down gracefully.
///
/// - Parameter redis: where the state lives so that replicas agree; nil keeps it in this process.
///   Redis is connected once before anything listens, so a wrong password, an untrusted certificate or
///   an unreachable server throws a ``RedisError`` that names it.
public func runRegistry(
    host: String = "127.0.0.1", port: Int, configuration: RegistryConfiguration = .init(),
    redis: RedisConfiguration? = nil, logger: Logger = Logger(label: "mesh.registry")
) async throws {
    var store: (any RegistryStore)?
    var services: [any Service] = []
    if let redis {
        let pool = try RedisConnectionPool(configuration: redis, logger: Logger(label: "mesh.redis"))
        try await pool.verify()
        let keyPrefix = redis.keyPrefix ?? "mesh:"
        store = RedisRegistryStore(redis: pool, keyPrefix: keyPrefix, configuration: configuration, logger: logger)
        services.append(pool)
        var metadata = redis.logMetadata
        metadata["key_prefix"] = .string(keyPrefix)
        logger.info("registry state in redis", metadata: metadata)
    }
    let app = buildRegistryApplication(
        host: host, port: port, configuration: configuration, store: store, services: services, logger: logger,
        onServerRunning: { port in logger.info("registry listening", metadata: ["host": "\(host)", "port": "\(port)"]) }
    )
    let group = ServiceGroup(
        configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}
