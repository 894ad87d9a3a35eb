import A2A
import CloudMap
import Logging
import ServiceLifecycle

/// Registers an agent in the registry at start, reports HEALTHY every TTL/3, and deregisters at
/// graceful shutdown.
///
/// The registry is a peer that may start after the agent or restart under it, so the advertiser never
/// gives up: registration is retried with backoff, and a heartbeat the registry no longer recognises
/// (its in-memory state was lost) registers the instance again, creating the namespace and service too
/// when the advertiser was given names rather than a service id.
public struct RegistryAdvertiser: Service {
    /// Where the instance goes: a known service id, or a namespace and service found (or created) by name.
    public enum Target: Sendable {
        case serviceId(String)
        case named(namespace: String, service: String)
    }

    public let client: CloudMapClient
    public let target: Target
    public let instanceId: String
    public let attributes: [String: String]
    public let heartbeatInterval: Duration
    let logger: Logger

    /// - Parameters:
    ///   - serviceId: the Cloud Map service id (see ``resolveServiceId(client:namespace:service:)``).
    ///   - ttl: the registry's heartbeat TTL; the heartbeat runs every third of it.
    public init(
        client: CloudMapClient, serviceId: String, instanceId: String, attributes: [String: String],
        ttl: Duration = .seconds(10), logger: Logger = Logger(label: "mesh.discovery.advertiser")
    ) {
        self.init(
            client: client, target: .serviceId(serviceId), instanceId: instanceId, attributes: attributes, ttl: ttl,
            logger: logger)
    }

    /// An advertiser for `target`; see ``ensureServiceId(client:namespace:service:operationTimeout:)`` for
    /// how a named target is created when missing.
    public init(
        client: CloudMapClient, target: Target, instanceId: String, attributes: [String: String],
        ttl: Duration = .seconds(10), logger: Logger = Logger(label: "mesh.discovery.advertiser")
    ) {
        self.client = client
        self.target = target
        self.instanceId = instanceId
        self.attributes = attributes
        self.heartbeatInterval = ttl / 3
        self.logger = logger
    }

    public func run() async throws {
        guard var serviceId = await registerUntilDone() else { return }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: heartbeatInterval) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            do {
                try await client.updateInstanceCustomHealthStatus(
                    serviceId: serviceId, instanceId: instanceId, status: .healthy)
            } catch let error as CloudMapError
                where [.instanceNotFound, .serviceNotFound, .namespaceNotFound].contains(error.code)
            {
                logger.warning(
                    "registry lost the instance; registering again",
                    metadata: ["instance": "\(instanceId)", "error": "\(error)"])
                guard let again = await registerUntilDone() else { break }
                serviceId = again
            } catch {
                logger.warning("heartbeat failed", metadata: ["instance": "\(instanceId)", "error": "\(error)"])
            }
        }
        // Graceful shutdown ends only the sleep, not this task, so the deregistration can still go out.
        do {
            _ = try await client.deregisterInstance(serviceId: serviceId, instanceId: instanceId)
            logger.info("deregistered", metadata: ["instance": "\(instanceId)"])
        } catch {
            logger.warning("deregistration failed", metadata: ["instance": "\(instanceId)", "error": "\(error)"])
        }
    }

    /// Registers, retrying with backoff (0.2 s doubling to 5 s); nil when shutdown came first.
    func registerUntilDone() async -> String? {
        var delay = Duration.milliseconds(200)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let serviceId = try await register()
                logger.info("registered", metadata: ["instance": "\(instanceId)", "service": "\(serviceId)"])
                return serviceId
            } catch {
                logger.warning(
                    "registration failed; retrying",
                    metadata: ["instance": "\(instanceId)", "retryIn": "\(delay)", "error": "\(error)"])
            }
            let wait = delay
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
            } catch {
                return nil
            }
            delay = min(delay * 2, .seconds(5))
        }
        return nil
    }

    /// Resolves the service (creating it for a named target) and upserts the instance.
    func register() async throws -> String {
        let serviceId =
            switch target {
            case .serviceId(let id): id
            case .named(let namespace, let service):
                try await Self.ensureServiceId(client: client, namespace: namespace, service: service)
            }
        _ = try await client.registerInstance(
            RegisterInstanceRequest(serviceId: serviceId, instanceId: instanceId, attributes: attributes))
        return serviceId
    }

    /// The id of `service` in the namespace named `namespace`.
    public static func resolveServiceId(client: CloudMapClient, namespace: String, service: String) async throws
        -> String
    {
        guard let namespaceId = try await namespaceId(client: client, namespace: namespace) else {
            throw CloudMapError(.namespaceNotFound, "No namespace named '\(namespace)'.")
        }
        guard let serviceId = try await serviceId(client: client, namespaceId: namespaceId, service: service) else {
            throw CloudMapError(.serviceNotFound, "No service named '\(service)' in '\(namespace)'.")
        }
        return serviceId
    }
}
