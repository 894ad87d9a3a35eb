import Logging
import ServiceLifecycle

/// Periodically turns instances whose heartbeat is older than the TTL UNHEALTHY. Reads already
/// apply the TTL lazily; the sweep makes the state itself say so, for stores that others read.
public struct RegistrySweeper: Service {
    let store: any RegistryStore
    let interval: Duration
    let logger: Logger

    public init(store: any RegistryStore, interval: Duration, logger: Logger = Logger(label: "mesh.registry.sweeper")) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            let expired = await store.sweepExpired()
            if expired > 0 { logger.info("heartbeats expired", metadata: ["instances": "\(expired)"]) }
        }
    }
}
