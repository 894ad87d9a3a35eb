import A2A
import CloudMap
import Logging
import ServiceLifecycle

/// Registers an agent in the registry at start, reports HEALTHY every TTL/3, and deregisters at
/// graceful shutdown.
public struct RegistryAdvertiser: Service {
    public let client: CloudMapClient
    public let serviceId: String
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
        self.client = client
        self.serviceId = serviceId
        self.instanceId = instanceId
        self.attributes = attributes
        self.heartbeatInterval = ttl / 3
        self.logger = logger
    }

    public func run() async throws {
        _ = try await client.registerInstance(
            RegisterInstanceRequest(serviceId: serviceId, instanceId: instanceId, attributes: attributes))
        logger.info("registered", metadata: ["instance": "\(instanceId)", "service": "\(serviceId)"])
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
            } catch {
                logger.warning("heartbeat failed", metadata: ["instance": "\(instanceId)", "error": "\(error)"])
            }
        }
        // Graceful shutdown ends only the sleep, not this task, so the deregistration can still go out.
        try await deregister()
    }

    /// Removes the instance from the registry.
    public func deregister() async throws {
        _ = try await client.deregisterInstance(serviceId: serviceId, instanceId: instanceId)
        logger.info("deregistered", metadata: ["instance": "\(instanceId)"])
    }

    /// The id of `service` in the namespace named `namespace`.
    public static func resolveServiceId(client: CloudMapClient, namespace: String, service: String) async throws
        -> String
    {
        let namespaces = try await client.listNamespaces().namespaces ?? []
        guard let namespaceId = namespaces.first(where: { $0.name == namespace })?.id else {
            throw CloudMapError(.namespaceNotFound, "No namespace named '\(namespace)'.")
        }
        let services =
            try await client.listServices(
                .init(filters: [.init(name: .namespaceId, values: [namespaceId], condition: .eq)])
            ).services ?? []
        guard let serviceId = services.first(where: { $0.name == service })?.id else {
            throw CloudMapError(.serviceNotFound, "No service named '\(service)' in '\(namespace)'.")
        }
        return serviceId
    }
}
