import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the embedded registry as a Hummingbird application: the router over `store` with the
/// heartbeat sweeper as its service. `onServerRunning` receives the bound port (useful with port 0).
public func buildRegistryApplication(
    host: String = "127.0.0.1", port: Int, configuration: RegistryConfiguration = .init(),
    store: (any RegistryStore)? = nil, logger: Logger = Logger(label: "mesh.registry"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let store = store ?? InMemoryRegistryStore(configuration: configuration)
    return Application(
        router: buildRegistryRouter(store: store, logger: logger),
        configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "mesh-registry"),
        services: [RegistrySweeper(store: store, interval: configuration.sweepInterval, logger: logger)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}

/// Runs the embedded registry until SIGTERM or SIGINT, then shuts it down gracefully.
public func runRegistry(
    host: String = "127.0.0.1", port: Int, configuration: RegistryConfiguration = .init(),
    logger: Logger = Logger(label: "mesh.registry")
) async throws {
    let app = buildRegistryApplication(
        host: host, port: port, configuration: configuration, logger: logger,
        onServerRunning: { port in logger.info("registry listening", metadata: ["host": "\(host)", "port": "\(port)"]) }
    )
    let group = ServiceGroup(
        configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}
