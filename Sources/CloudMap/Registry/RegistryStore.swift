import Foundation

/// The state behind the embedded registry. Inputs arrive validated by `RegistryValidator`; a store
/// answers with the output shapes or throws `CloudMapError`. ``InMemoryRegistryStore`` keeps the state in
/// this process; ``RedisRegistryStore`` keeps it in Redis, so that several registry replicas agree.
public protocol RegistryStore: Sendable {
    func createHttpNamespace(_ request: CreateHttpNamespaceRequest) async throws -> OperationIdResponse
    func getNamespace(_ request: ResourceIdRequest) async throws -> GetNamespaceResponse
    func listNamespaces(_ request: ListNamespacesRequest) async throws -> ListNamespacesResponse
    func deleteNamespace(_ request: ResourceIdRequest) async throws -> OperationIdResponse
    func createService(_ request: CreateServiceRequest) async throws -> ServiceResponse
    func getService(_ request: ResourceIdRequest) async throws -> ServiceResponse
    func listServices(_ request: ListServicesRequest) async throws -> ListServicesResponse
    func deleteService(_ request: ResourceIdRequest) async throws -> EmptyResponse
    func registerInstance(_ request: RegisterInstanceRequest) async throws -> OperationIdResponse
    func deregisterInstance(_ request: InstanceRequest) async throws -> OperationIdResponse
    func getInstance(_ request: InstanceRequest) async throws -> GetInstanceResponse
    func listInstances(_ request: ListInstancesRequest) async throws -> ListInstancesResponse
    func discoverInstances(_ request: DiscoverInstancesRequest) async throws -> DiscoverInstancesResponse
    func discoverInstancesRevision(_ request: DiscoverInstancesRevisionRequest) async throws
        -> DiscoverInstancesRevisionResponse
    func getInstancesHealthStatus(_ request: GetInstancesHealthStatusRequest) async throws
        -> GetInstancesHealthStatusResponse
    func updateInstanceCustomHealthStatus(_ request: UpdateInstanceCustomHealthStatusRequest) async throws
        -> EmptyResponse
    func getOperation(_ request: GetOperationRequest) async throws -> GetOperationResponse
    /// Marks instances whose heartbeat is older than the TTL UNHEALTHY; returns how many changed.
    /// It throws only when the state cannot be reached (a shared store whose server is down).
    func sweepExpired() async throws -> Int
}

/// Settings of the embedded registry.
public struct RegistryConfiguration: Sendable {
    /// The region used in ARNs.
    public var region: String
    /// The 12-digit account used in ARNs and `ResourceOwner`.
    public var accountId: String
    /// An instance of a service with `HealthCheckCustomConfig` that has neither re-registered nor
    /// reported HEALTHY for this long turns UNHEALTHY.
    public var heartbeatTTL: Duration
    /// How often the sweeper service materialises expired heartbeats.
    public var sweepInterval: Duration
    /// How many operation records `GetOperation` can find at most: heartbeats re-register, so when there
    /// are more, the oldest tenth is dropped, with the CreatorRequestIds that started them.
    public var operationRecordLimit: Int

    public init(
        region: String = "us-east-1", accountId: String = "123456789012", heartbeatTTL: Duration = .seconds(10),
        sweepInterval: Duration = .seconds(1), operationRecordLimit: Int = 10_000
    ) {
        self.region = region
        self.accountId = accountId
        self.heartbeatTTL = heartbeatTTL
        self.sweepInterval = sweepInterval
        self.operationRecordLimit = max(10, operationRecordLimit)
    }
}

extension Duration {
    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }
}
