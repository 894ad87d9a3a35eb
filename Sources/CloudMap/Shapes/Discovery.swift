/// `DiscoverInstances` input.
public struct DiscoverInstancesRequest: Codable, Sendable {
    public var namespaceName: String
    public var serviceName: String
    public var maxResults: Int?
    /// Exact-match attribute filters, all of which must hold.
    public var queryParameters: [String: String]?
    /// Filters applied only when some instances satisfy them.
    public var optionalParameters: [String: String]?
    public var healthStatus: HealthStatusFilter?
    public var ownerAccount: String?

    public init(
        namespaceName: String, serviceName: String, maxResults: Int? = nil, queryParameters: [String: String]? = nil,
        optionalParameters: [String: String]? = nil, healthStatus: HealthStatusFilter? = nil
    ) {
        self.namespaceName = namespaceName
        self.serviceName = serviceName
        self.maxResults = maxResults
        self.queryParameters = queryParameters
        self.optionalParameters = optionalParameters
        self.healthStatus = healthStatus
    }

    enum CodingKeys: String, CodingKey {
        case namespaceName = "NamespaceName", serviceName = "ServiceName", maxResults = "MaxResults"
        case queryParameters = "QueryParameters", optionalParameters = "OptionalParameters"
        case healthStatus = "HealthStatus", ownerAccount = "OwnerAccount"
    }
}

/// `HttpInstanceSummary`: one instance found by `DiscoverInstances`.
public struct HttpInstanceSummary: Codable, Sendable, Equatable {
    public var instanceId: String?
    public var namespaceName: String?
    public var serviceName: String?
    public var healthStatus: HealthStatus?
    public var attributes: [String: String]?

    public init(
        instanceId: String?, namespaceName: String?, serviceName: String?, healthStatus: HealthStatus?,
        attributes: [String: String]?
    ) {
        self.instanceId = instanceId
        self.namespaceName = namespaceName
        self.serviceName = serviceName
        self.healthStatus = healthStatus
        self.attributes = attributes
    }

    enum CodingKeys: String, CodingKey {
        case instanceId = "InstanceId", namespaceName = "NamespaceName", serviceName = "ServiceName"
        case healthStatus = "HealthStatus", attributes = "Attributes"
    }
}

/// `DiscoverInstances` output.
public struct DiscoverInstancesResponse: Codable, Sendable {
    public var instances: [HttpInstanceSummary]?
    public var instancesRevision: Int64?

    public init(instances: [HttpInstanceSummary]?, instancesRevision: Int64?) {
        self.instances = instances
        self.instancesRevision = instancesRevision
    }

    enum CodingKeys: String, CodingKey { case instances = "Instances", instancesRevision = "InstancesRevision" }
}

/// `DiscoverInstancesRevision` input.
public struct DiscoverInstancesRevisionRequest: Codable, Sendable {
    public var namespaceName: String
    public var serviceName: String
    public var ownerAccount: String?

    public init(namespaceName: String, serviceName: String) {
        self.namespaceName = namespaceName
        self.serviceName = serviceName
    }

    enum CodingKeys: String, CodingKey {
        case namespaceName = "NamespaceName", serviceName = "ServiceName", ownerAccount = "OwnerAccount"
    }
}

/// `DiscoverInstancesRevision` output.
public struct DiscoverInstancesRevisionResponse: Codable, Sendable {
    public var instancesRevision: Int64?
    public init(instancesRevision: Int64?) { self.instancesRevision = instancesRevision }
    enum CodingKeys: String, CodingKey { case instancesRevision = "InstancesRevision" }
}
