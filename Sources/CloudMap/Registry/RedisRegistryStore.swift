import Foundation
import Logging
import Redis
import Synchronization

/// The registry's state in Redis, so that several `mesh registry` replicas pointed at one Redis agree on
/// namespaces, services, instances, health, revisions and operations.
///
/// The whole ``RegistryState`` is one encoded value next to a version token; each replica caches the
/// decoded state of the version it last saw, so a read costs one `GET` while nothing changed. A write runs
/// the same ``RegistryTransaction`` as the in-memory store on that state and commits it with a script that
/// writes only if the version is still the one read (optimistic concurrency); when another replica came
/// first it reloads and runs the call again, a bounded number of times. A call that fails with a
/// `CloudMapError` writes nothing. Operation records live in a hash of their own, so that heartbeats do
/// not rewrite them all.
public final class RedisRegistryStore: RegistryStore {
    /// The decoded state of one version (nil: Redis holds no registry yet).
    struct Snapshot: Sendable {
        var version: String?
        var state: RegistryState
    }

    let redis: any RedisCommandRunner
    let keys: Keys
    let configuration: RegistryConfiguration
    let now: @Sendable () -> Date
    let maxAttempts: Int
    let logger: Logger
    let cache = Mutex<Snapshot?>(nil)
    let writeLock = RegistryWriteLock()

    /// A store on `redis` (usually a running ``RedisConnectionPool``).
    ///
    /// - Parameters:
    ///   - keyPrefix: prefix of the registry's keys, e.g. `mesh:` gives `mesh:{registry}:state`.
    ///   - maxAttempts: how often a write is tried when other replicas keep committing first.
    ///   - now: the clock heartbeats are measured against.
    public init(
        redis: any RedisCommandRunner, keyPrefix: String = "mesh:", configuration: RegistryConfiguration = .init(),
        maxAttempts: Int = 50, now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "mesh.registry.redis")
    ) {
        self.redis = redis
        self.keys = Keys(prefix: keyPrefix)
        self.configuration = configuration
        self.maxAttempts = max(1, maxAttempts)
        self.now = now
        self.logger = logger
    }

    func read<Result>(_ body: (RegistryTransaction) throws -> Result) async throws -> Result {
        let snapshot = try await load()
        return try body(RegistryTransaction(state: snapshot.state, configuration: configuration, time: now()))
    }

    /// Runs `body` on the current state and commits what it changed; see the type's documentation.
    func write<Result>(_ body: (inout RegistryTransaction) throws -> Result) async throws -> Result {
        try await writeLock.withLock {
            for attempt in 1...maxAttempts {
                let snapshot = try await load()
                var transaction = RegistryTransaction(state: snapshot.state, configuration: configuration, time: now())
                let result = try body(&transaction)
                if transaction.state == snapshot.state && transaction.newOperations.isEmpty { return result }
                if try await commit(transaction, over: snapshot) != nil { return result }
                logger.debug("registry write lost to another replica; retrying", metadata: ["attempt": "\(attempt)"])
                // Spread the retries of replicas that keep colliding.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...min(5 * attempt, 100))))
            }
            throw CloudMapError(
                .requestLimitExceeded,
                "The registry state kept changing under this call (\(maxAttempts) attempts); try again.")
        }
    }

    public func createHttpNamespace(_ request: CreateHttpNamespaceRequest) async throws -> OperationIdResponse {
        try await write { try $0.createHttpNamespace(request) }
    }

    public func getNamespace(_ request: ResourceIdRequest) async throws -> GetNamespaceResponse {
        try await read { try $0.getNamespace(request) }
    }

    public func listNamespaces(_ request: ListNamespacesRequest) async throws -> ListNamespacesResponse {
        try await read { try $0.listNamespaces(request) }
    }

    public func deleteNamespace(_ request: ResourceIdRequest) async throws -> OperationIdResponse {
        try await write { try $0.deleteNamespace(request) }
    }

    public func createService(_ request: CreateServiceRequest) async throws -> ServiceResponse {
        try await write { try $0.createService(request) }
    }

    public func getService(_ request: ResourceIdRequest) async throws -> ServiceResponse {
        try await read { try $0.getService(request) }
    }

    public func listServices(_ request: ListServicesRequest) async throws -> ListServicesResponse {
        try await read { try $0.listServices(request) }
    }

    public func deleteService(_ request: ResourceIdRequest) async throws -> EmptyResponse {
        try await write { try $0.deleteService(request) }
    }

    public func registerInstance(_ request: RegisterInstanceRequest) async throws -> OperationIdResponse {
        try await write { try $0.registerInstance(request) }
    }

    public func deregisterInstance(_ request: InstanceRequest) async throws -> OperationIdResponse {
        try await write { try $0.deregisterInstance(request) }
    }

    public func getInstance(_ request: InstanceRequest) async throws -> GetInstanceResponse {
        try await read { try $0.getInstance(request) }
    }

    public func listInstances(_ request: ListInstancesRequest) async throws -> ListInstancesResponse {
        try await read { try $0.listInstances(request) }
    }

    public func discoverInstances(_ request: DiscoverInstancesRequest) async throws -> DiscoverInstancesResponse {
        try await read { try $0.discoverInstances(request) }
    }

    public func discoverInstancesRevision(_ request: DiscoverInstancesRevisionRequest) async throws
        -> DiscoverInstancesRevisionResponse
    {
        try await read { try $0.discoverInstancesRevision(request) }
    }

    public func getInstancesHealthStatus(_ request: GetInstancesHealthStatusRequest) async throws
        -> GetInstancesHealthStatusResponse
    {
        try await read { try $0.getInstancesHealthStatus(request) }
    }

    public func updateInstanceCustomHealthStatus(_ request: UpdateInstanceCustomHealthStatusRequest) async throws
        -> EmptyResponse
    {
        try await write { try $0.updateInstanceCustomHealthStatus(request) }
    }

    public func getOperation(_ request: GetOperationRequest) async throws -> GetOperationResponse {
        guard let operation = try await operation(request.operationId) else {
            throw RegistryTransaction.operationNotFound(request.operationId)
        }
        return GetOperationResponse(operation: operation)
    }

    /// Several replicas may sweep at once: the first commit wins, and the others, run again on its
    /// state, find nothing left to expire and write nothing.
    public func sweepExpired() async throws -> Int {
        try await write { $0.sweepExpired() }
    }
}
