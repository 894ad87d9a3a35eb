/// One method per operation of the subset.
extension CloudMapClient {
    public func createHttpNamespace(_ input: CreateHttpNamespaceRequest) async throws -> OperationIdResponse {
        try await call(.createHttpNamespace, input)
    }

    public func getNamespace(id: String) async throws -> Namespace {
        let output: GetNamespaceResponse = try await call(.getNamespace, ResourceIdRequest(id: id))
        guard let namespace = output.namespace else {
            throw CloudMapError(.namespaceNotFound, "No namespace in the reply.")
        }
        return namespace
    }

    public func listNamespaces(_ input: ListNamespacesRequest = .init()) async throws -> ListNamespacesResponse {
        try await call(.listNamespaces, input)
    }

    public func deleteNamespace(id: String) async throws -> OperationIdResponse {
        try await call(.deleteNamespace, ResourceIdRequest(id: id))
    }

    public func createService(_ input: CreateServiceRequest) async throws -> CloudMapService {
        let output: ServiceResponse = try await call(.createService, input)
        guard let service = output.service else { throw CloudMapError(.serviceNotFound, "No service in the reply.") }
        return service
    }

    public func getService(id: String) async throws -> CloudMapService {
        let output: ServiceResponse = try await call(.getService, ResourceIdRequest(id: id))
        guard let service = output.service else { throw CloudMapError(.serviceNotFound, "No service in the reply.") }
        return service
    }

    public func listServices(_ input: ListServicesRequest = .init()) async throws -> ListServicesResponse {
        try await call(.listServices, input)
    }

    public func deleteService(id: String) async throws {
        let _: EmptyResponse = try await call(.deleteService, ResourceIdRequest(id: id))
    }

    public func registerInstance(_ input: RegisterInstanceRequest) async throws -> OperationIdResponse {
        try await call(.registerInstance, input)
    }

    public func deregisterInstance(serviceId: String, instanceId: String) async throws -> OperationIdResponse {
        try await call(.deregisterInstance, InstanceRequest(serviceId: serviceId, instanceId: instanceId))
    }

    public func getInstance(serviceId: String, instanceId: String) async throws -> GetInstanceResponse {
        try await call(.getInstance, InstanceRequest(serviceId: serviceId, instanceId: instanceId))
    }

    public func listInstances(_ input: ListInstancesRequest) async throws -> ListInstancesResponse {
        try await call(.listInstances, input)
    }

    public func discoverInstances(_ input: DiscoverInstancesRequest) async throws -> DiscoverInstancesResponse {
        try await call(.discoverInstances, input)
    }

    public func discoverInstancesRevision(namespaceName: String, serviceName: String) async throws -> Int64 {
        let output: DiscoverInstancesRevisionResponse = try await call(
            .discoverInstancesRevision,
            DiscoverInstancesRevisionRequest(namespaceName: namespaceName, serviceName: serviceName))
        return output.instancesRevision ?? 0
    }

    public func getInstancesHealthStatus(_ input: GetInstancesHealthStatusRequest) async throws
        -> GetInstancesHealthStatusResponse
    {
        try await call(.getInstancesHealthStatus, input)
    }

    public func updateInstanceCustomHealthStatus(serviceId: String, instanceId: String, status: CustomHealthStatus)
        async throws
    {
        let _: EmptyResponse = try await call(
            .updateInstanceCustomHealthStatus,
            UpdateInstanceCustomHealthStatusRequest(serviceId: serviceId, instanceId: instanceId, status: status))
    }

    public func getOperation(id: String) async throws -> Operation {
        let output: GetOperationResponse = try await call(.getOperation, GetOperationRequest(operationId: id))
        guard let operation = output.operation else {
            throw CloudMapError(.operationNotFound, "No operation in the reply.")
        }
        return operation
    }
}
