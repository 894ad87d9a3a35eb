import Foundation

/// One registry call applied to a ``RegistryState``: the logic of every Cloud Map operation, written once
/// for all stores. A call that throws has changed nothing, because every check runs before any change;
/// a store commits ``state`` and ``newOperations`` only after the call returned.
struct RegistryTransaction: Sendable {
    typealias NamespaceRecord = RegistryState.NamespaceRecord
    typealias ServiceRecord = RegistryState.ServiceRecord
    typealias InstanceRecord = RegistryState.InstanceRecord

    var state: RegistryState
    let configuration: RegistryConfiguration
    /// The time the call runs at: heartbeats, creation dates and TTLs are measured against it.
    let time: Date
    /// Operations recorded by this call, for the store to keep where `GetOperation` finds them.
    private(set) var newOperations: [Operation] = []

    init(state: RegistryState, configuration: RegistryConfiguration, time: Date) {
        self.state = state
        self.configuration = configuration
        self.time = time
    }

    // MARK: lookups

    func namespaceRecord(_ idOrArn: String) throws -> NamespaceRecord {
        let id = RegistryIdentifiers.resourceId(idOrArn)
        guard let record = state.namespaces[id] else {
            throw CloudMapError(.namespaceNotFound, "No namespace exists with the specified ID: \(idOrArn).")
        }
        return record
    }

    func serviceRecord(_ idOrArn: String) throws -> ServiceRecord {
        let id = RegistryIdentifiers.resourceId(idOrArn)
        guard let record = state.services[id] else {
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
        guard let namespace = state.namespaces.values.first(where: { $0.namespace.httpName == namespaceName }) else {
            throw CloudMapError(.namespaceNotFound, "No namespace exists with the specified name: \(namespaceName).")
        }
        guard
            let service = state.services.values.first(where: {
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
    func health(of instance: InstanceRecord, in service: CloudMapService) -> HealthStatus {
        if service.healthCheckCustomConfig != nil {
            if instance.customHealth == .unhealthy { return .unhealthy }
            let expired = time.timeIntervalSince(instance.lastHeartbeat) > configuration.heartbeatTTL.timeInterval
            return expired ? .unhealthy : .healthy
        }
        return service.healthCheckConfig != nil ? .healthy : .unknown
    }

    /// Marks instances whose heartbeat is older than the TTL UNHEALTHY; returns how many changed.
    mutating func sweepExpired() -> Int {
        var changed = 0
        for (serviceId, record) in state.services where record.service.healthCheckCustomConfig != nil {
            for (instanceId, instance) in record.instances
            where instance.customHealth == .healthy && health(of: instance, in: record.service) == .unhealthy {
                state.services[serviceId]?.instances[instanceId]?.customHealth = .unhealthy
                changed += 1
            }
        }
        return changed
    }

    // MARK: operations and revisions

    /// Records a finished operation; returns its id and its sequence number.
    mutating func recordOperation(_ type: OperationType, targets: [OperationTargetType: String]) -> (
        id: String, sequence: Int64
    ) {
        let id = RegistryIdentifiers.operationId()
        newOperations.append(
            Operation(
                id: id, type: type, status: .success, createDate: time, updateDate: time,
                targets: Dictionary(uniqueKeysWithValues: targets.map { ($0.key.rawValue, $0.value) })))
        state.operationCount += 1
        let limit = configuration.operationRecordLimit
        if state.keptOperationCount > limit {
            // Drop the oldest tenth at once, and the CreatorRequestIds whose operation went with it,
            // so that clients that send a fresh CreatorRequestId with every heartbeat stay bounded.
            state.oldestKeptOperation += Int64(limit / 10)
            let oldest = state.oldestKeptOperation
            state.creatorRequests = state.creatorRequests.filter { $0.value.operationSequence >= oldest }
        }
        return (id, state.operationCount)
    }

    mutating func nextRevision() -> Int64 {
        state.revisionCounter += 1
        return state.revisionCounter
    }

    /// What `GetOperation` answers for an id no store knows (never recorded, or dropped as too old).
    static func operationNotFound(_ operationId: String) -> CloudMapError {
        CloudMapError(.operationNotFound, "No operation exists with the specified ID: \(operationId).")
    }
}
