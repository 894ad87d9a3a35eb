import Foundation

/// The registry's state in this process: one ``RegistryState`` and the operation records that
/// `GetOperation` reports. Every call runs as a ``RegistryTransaction`` on it, one at a time.
public actor InMemoryRegistryStore: RegistryStore {
    let configuration: RegistryConfiguration
    let now: @Sendable () -> Date
    var state = RegistryState()
    var operations: [String: Operation] = [:]
    var operationOrder: [String] = []

    /// A store with the given settings; `now` is the clock heartbeats are measured against.
    public init(configuration: RegistryConfiguration = .init(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.now = now
    }

    func read<Result>(_ body: (RegistryTransaction) throws -> Result) rethrows -> Result {
        try body(RegistryTransaction(state: state, configuration: configuration, time: now()))
    }

    func write<Result>(_ body: (inout RegistryTransaction) throws -> Result) rethrows -> Result {
        var transaction = RegistryTransaction(state: state, configuration: configuration, time: now())
        // Hand the state over, so the call changes it in place instead of copying it; a call that
        // throws has changed nothing (see RegistryTransaction), so its state can be taken back as is.
        state = RegistryState()
        let result: Result
        do {
            result = try body(&transaction)
        } catch {
            state = transaction.state
            throw error
        }
        state = transaction.state
        keep(transaction.newOperations)
        return result
    }

    /// Adds the new records and drops the oldest ones the state no longer counts as kept.
    func keep(_ newOperations: [Operation]) {
        for operation in newOperations {
            guard let id = operation.id else { continue }
            operations[id] = operation
            operationOrder.append(id)
        }
        let excess = operationOrder.count - state.keptOperationCount
        if excess > 0 {
            for old in operationOrder.prefix(excess) { operations[old] = nil }
            operationOrder.removeFirst(excess)
        }
    }

    public func createHttpNamespace(_ request: CreateHttpNamespaceRequest) throws -> OperationIdResponse {
        try write { try $0.createHttpNamespace(request) }
    }

    public func getNamespace(_ request: ResourceIdRequest) throws -> GetNamespaceResponse {
        try read { try $0.getNamespace(request) }
    }

    public func listNamespaces(_ request: ListNamespacesRequest) throws -> ListNamespacesResponse {
        try read { try $0.listNamespaces(request) }
    }

    public func deleteNamespace(_ request: ResourceIdRequest) throws -> OperationIdResponse {
        try write { try $0.deleteNamespace(request) }
    }

    public func createService(_ request: CreateServiceRequest) throws -> ServiceResponse {
        try write { try $0.createService(request) }
    }

    public func getService(_ request: ResourceIdRequest) throws -> ServiceResponse {
        try read { try $0.getService(request) }
    }

    public func listServices(_ request: ListServicesRequest) throws -> ListServicesResponse {
        try read { try $0.listServices(request) }
    }

    public func deleteService(_ request: ResourceIdRequest) throws -> EmptyResponse {
        try write { try $0.deleteService(request) }
    }

    public func registerInstance(_ request: RegisterInstanceRequest) throws -> OperationIdResponse {
        try write { try $0.registerInstance(request) }
    }

    public func deregisterInstance(_ request: InstanceRequest) throws -> OperationIdResponse {
        try write { try $0.deregisterInstance(request) }
    }

    public func getInstance(_ request: InstanceRequest) throws -> GetInstanceResponse {
        try read { try $0.getInstance(request) }
    }

    public func listInstances(_ request: ListInstancesRequest) throws -> ListInstancesResponse {
        try read { try $0.listInstances(request) }
    }

    public func discoverInstances(_ request: DiscoverInstancesRequest) throws -> DiscoverInstancesResponse {
        try read { try $0.discoverInstances(request) }
    }

    public func discoverInstancesRevision(_ request: DiscoverInstancesRevisionRequest) throws
        -> DiscoverInstancesRevisionResponse
    {
        try read { try $0.discoverInstancesRevision(request) }
    }

    public func getInstancesHealthStatus(_ request: GetInstancesHealthStatusRequest) throws
        -> GetInstancesHealthStatusResponse
    {
        try read { try $0.getInstancesHealthStatus(request) }
    }

    public func updateInstanceCustomHealthStatus(_ request: UpdateInstanceCustomHealthStatusRequest) throws
        -> EmptyResponse
    {
        try write { try $0.updateInstanceCustomHealthStatus(request) }
    }

    public func getOperation(_ request: GetOperationRequest) throws -> GetOperationResponse {
        guard let operation = operations[request.operationId] else {
            throw RegistryTransaction.operationNotFound(request.operationId)
        }
        return GetOperationResponse(operation: operation)
    }

    public func sweepExpired() -> Int {
        write { $0.sweepExpired() }
    }
}
