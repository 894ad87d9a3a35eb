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
        var failing = false
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            do {
                // A shared store may wait for its server; shutdown must not wait for that.
                let expired = try await cancelWhenGracefulShutdown { try await store.sweepExpired() }
                if expired > 0 { logger.info("heartbeats expired", metadata: ["instances": "\(expired)"]) }
                if failing { logger.info("heartbeat sweep works again") }
                failing = false
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return }
                // Reads apply the TTL meanwhile, so nothing is reported wrong; say it once, not every round.
                if !failing { logger.warning("heartbeat sweep failed", metadata: ["error": "\(error)"]) }
                failing = true
            }
        }
    }
}
