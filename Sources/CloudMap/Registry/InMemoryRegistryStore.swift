import Foundation

/// The registry's state in this process: namespaces, services, instances with their heartbeats,
/// and the operation records that `GetOperation` reports.
public actor InMemoryRegistryStore: RegistryStore {
    struct NamespaceRecord {
        var namespace: Namespace
        var tags: [Tag]
    }

    struct InstanceRecord {
        var instance: Instance
        var customHealth: CustomHealthStatus
        var lastHeartbeat: Date
    }

    struct ServiceRecord {
        var service: CloudMapService
        var tags: [Tag]
        var instances: [String: InstanceRecord] = [:]
        var instanceOrder: [String] = []
        var revision: Int64
    }

    /// A CreatorRequestId seen before: what it created and the operation it started.
    struct CreatorRequest {
        var fingerprint: String
        var operationId: String
        var resourceId: String
    }

    let configuration: RegistryConfiguration
    let now: @Sendable () -> Date
    var namespaces: [String: NamespaceRecord] = [:]
    var namespaceOrder: [String] = []
    var services: [String: ServiceRecord] = [:]
    var serviceOrder: [String] = []
    var operations: [String: Operation] = [:]
    var operationOrder: [String] = []
    var creatorRequests: [String: CreatorRequest] = [:]
    /// Source of every revision: one counter for the whole store, so a revision never goes down,
    /// not even when a service is deleted and created again under the same name.
    var revisionCounter: Int64 = 0
    /// Operation records kept for `GetOperation`; heartbeats re-register, so older ones are dropped.
    let operationLimit = 10_000

    /// A store with the given settings; `now` is the clock heartbeats are measured against.
    public init(configuration: RegistryConfiguration = .init(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.now = now
    }

    // MARK: lookups

    func namespaceRecord(_ idOrArn: String) throws -> NamespaceRecord {
        let id = RegistryIdentifiers.resourceId(idOrArn)
        guard let record = namespaces[id] else {
            throw CloudMapError(.namespaceNotFound, "No namespace exists with the specified ID: \(idOrArn).")
        }
        return record
    }

    func serviceRecord(_ idOrArn: String) throws -> ServiceRecord {
        let id = RegistryIdentifiers.resourceId(idOrArn)
        guard let record = services[id] else {
            throw CloudMapError(.serviceNotFound, "No service exists with the specified ID: \(idOrArn).")
        }
        return record
    }

    func instanceRecord(_ service: ServiceRecord, _ instanceId: String) throws -> InstanceRecord {
        guard let record = service.instances[instanceId] else {
            throw CloudMapError(
                .instanceNotFound,
                "No instance exists with the ID \(instanceId) in service \(service.service.id ?? "").")
        }
        return record
    }

    /// The service named `serviceName` in the namespace whose HttpName is `namespaceName`.
    func serviceRecord(namespaceName: String, serviceName: String) throws -> (NamespaceRecord, ServiceRecord) {
        guard let namespace = namespaces.values.first(where: { $0.namespace.httpName == namespaceName }) else {
            throw CloudMapError(.namespaceNotFound, "No namespace exists with the specified name: \(namespaceName).")
        }
        guard
            let service = services.values.first(where: {
                $0.service.namespaceId == namespace.namespace.id && $0.service.name == serviceName
            })
        else {
            throw CloudMapError(
                .serviceNotFound, "No service named \(serviceName) exists in namespace \(namespaceName).")
        }
        return (namespace, service)
    }

    // MARK: health

    /// An instance's health as reported now: UNKNOWN without a health check, HEALTHY for a Route 53
    /// check (which this registry does not run), and for a custom check the reported status, turned
    /// UNHEALTHY once the heartbeat is older than the TTL.
    func health(of instance: InstanceRecord, in service: CloudMapService, at time: Date) -> HealthStatus {
        if service.healthCheckCustomConfig != nil {
            if instance.customHealth == .unhealthy { return .unhealthy }
            let expired = time.timeIntervalSince(instance.lastHeartbeat) > configuration.heartbeatTTL.timeInterval
            return expired ? .unhealthy : .healthy
        }
        return service.healthCheckConfig != nil ? .healthy : .unknown
    }

    public func sweepExpired() -> Int {
        let time = now()
        var changed = 0
        for (serviceId, record) in services where record.service.healthCheckCustomConfig != nil {
            for (instanceId, instance) in record.instances
            where instance.customHealth == .healthy && health(of: instance, in: record.service, at: time) == .unhealthy
            {
                services[serviceId]?.instances[instanceId]?.customHealth = .unhealthy
                changed += 1
            }
        }
        return changed
    }

    // MARK: operations and revisions

    func recordOperation(_ type: OperationType, targets: [OperationTargetType: String]) -> String {
        let id = RegistryIdentifiers.operationId()
        let time = now()
        operations[id] = Operation(
            id: id, type: type, status: .success, createDate: time, updateDate: time,
            targets: Dictionary(uniqueKeysWithValues: targets.map { ($0.key.rawValue, $0.value) }))
        operationOrder.append(id)
        if operationOrder.count > operationLimit {
            // Drop the oldest tenth at once, and the CreatorRequestIds whose operation went with it,
            // so that clients that send a fresh CreatorRequestId with every heartbeat stay bounded.
            let dropped = operationOrder.prefix(operationLimit / 10)
            for old in dropped { operations[old] = nil }
            operationOrder.removeFirst(dropped.count)
            creatorRequests = creatorRequests.filter { operations[$0.value.operationId] != nil }
        }
        return id
    }

    func nextRevision() -> Int64 {
        revisionCounter += 1
        return revisionCounter
    }

    public func getOperation(_ request: GetOperationRequest) throws -> GetOperationResponse {
        guard let operation = operations[request.operationId] else {
            throw CloudMapError(
                .operationNotFound, "No operation exists with the specified ID: \(request.operationId).")
        }
        return GetOperationResponse(operation: operation)
    }
}
