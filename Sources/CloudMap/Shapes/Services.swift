import Foundation

/// `HealthCheckCustomConfig`: health reported by the instances themselves (the mesh's heartbeat).
public struct HealthCheckCustomConfig: Codable, Sendable, Equatable {
    /// Deprecated by AWS and always 1.
    public var failureThreshold: Int?
    public init(failureThreshold: Int? = nil) { self.failureThreshold = failureThreshold }
    enum CodingKeys: String, CodingKey { case failureThreshold = "FailureThreshold" }
}

/// `HealthCheckConfig`: a Route 53 health check. Stored but not run by the embedded registry.
public struct HealthCheckConfig: Codable, Sendable, Equatable {
    public var type: String
    public var resourcePath: String?
    public var failureThreshold: Int?

    public init(type: String, resourcePath: String? = nil, failureThreshold: Int? = nil) {
        self.type = type
        self.resourcePath = resourcePath
        self.failureThreshold = failureThreshold
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type", resourcePath = "ResourcePath", failureThreshold = "FailureThreshold"
    }
}

/// `DnsConfig`: DNS records of a service. HTTP namespaces have none, so the registry refuses it.
public struct DnsConfig: Codable, Sendable, Equatable {
    /// One `DnsRecord`.
    public struct Record: Codable, Sendable, Equatable {
        public var type: String
        public var ttl: Int64
        enum CodingKeys: String, CodingKey { case type = "Type", ttl = "TTL" }
    }

    public var namespaceId: String?
    public var routingPolicy: String?
    public var dnsRecords: [Record]

    enum CodingKeys: String, CodingKey {
        case namespaceId = "NamespaceId", routingPolicy = "RoutingPolicy", dnsRecords = "DnsRecords"
    }
}

/// `CreateService` input.
public struct CreateServiceRequest: Codable, Sendable {
    public var name: String
    public var namespaceId: String?
    public var creatorRequestId: String?
    public var description: String?
    public var dnsConfig: DnsConfig?
    public var healthCheckConfig: HealthCheckConfig?
    public var healthCheckCustomConfig: HealthCheckCustomConfig?
    public var tags: [Tag]?
    public var type: ServiceType?

    public init(
        name: String, namespaceId: String?, creatorRequestId: String? = nil, description: String? = nil,
        healthCheckCustomConfig: HealthCheckCustomConfig? = nil, tags: [Tag]? = nil, type: ServiceType? = nil
    ) {
        self.name = name
        self.namespaceId = namespaceId
        self.creatorRequestId = creatorRequestId
        self.description = description
        self.healthCheckCustomConfig = healthCheckCustomConfig
        self.tags = tags
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", namespaceId = "NamespaceId", creatorRequestId = "CreatorRequestId"
        case description = "Description", dnsConfig = "DnsConfig", healthCheckConfig = "HealthCheckConfig"
        case healthCheckCustomConfig = "HealthCheckCustomConfig", tags = "Tags", type = "Type"
    }
}

/// `Service` (Create/GetService) and `ServiceSummary` (ListServices) in one shape, named `CloudMapService`
/// to stay clear of ServiceLifecycle's `Service`.
public struct CloudMapService: Codable, Sendable, Equatable {
    public var id: String?
    public var arn: String?
    public var resourceOwner: String?
    public var name: String?
    public var namespaceId: String?
    public var description: String?
    public var instanceCount: Int?
    public var dnsConfig: DnsConfig?
    public var type: ServiceType?
    public var healthCheckConfig: HealthCheckConfig?
    public var healthCheckCustomConfig: HealthCheckCustomConfig?
    public var createDate: Date?
    public var creatorRequestId: String?
    public var createdByAccount: String?

    public init(
        id: String? = nil, arn: String? = nil, resourceOwner: String? = nil, name: String? = nil,
        namespaceId: String? = nil, description: String? = nil, instanceCount: Int? = nil, type: ServiceType? = nil,
        healthCheckConfig: HealthCheckConfig? = nil, healthCheckCustomConfig: HealthCheckCustomConfig? = nil,
        createDate: Date? = nil, creatorRequestId: String? = nil, createdByAccount: String? = nil
    ) {
        self.id = id
        self.arn = arn
        self.resourceOwner = resourceOwner
        self.name = name
        self.namespaceId = namespaceId
        self.description = description
        self.instanceCount = instanceCount
        self.type = type
        self.healthCheckConfig = healthCheckConfig
        self.healthCheckCustomConfig = healthCheckCustomConfig
        self.createDate = createDate
        self.creatorRequestId = creatorRequestId
        self.createdByAccount = createdByAccount
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", arn = "Arn", resourceOwner = "ResourceOwner", name = "Name", namespaceId = "NamespaceId"
        case description = "Description", instanceCount = "InstanceCount", dnsConfig = "DnsConfig", type = "Type"
        case healthCheckConfig = "HealthCheckConfig", healthCheckCustomConfig = "HealthCheckCustomConfig"
        case createDate = "CreateDate", creatorRequestId = "CreatorRequestId", createdByAccount = "CreatedByAccount"
    }
}

/// `CreateService` and `GetService` output.
public struct ServiceResponse: Codable, Sendable {
    public var service: CloudMapService?
    public init(service: CloudMapService?) { self.service = service }
    enum CodingKeys: String, CodingKey { case service = "Service" }
}

/// `ListServices` input.
public struct ListServicesRequest: Codable, Sendable {
    public var nextToken: String?
    public var maxResults: Int?
    public var filters: [ListFilter<ServiceFilterName>]?

    public init(nextToken: String? = nil, maxResults: Int? = nil, filters: [ListFilter<ServiceFilterName>]? = nil) {
        self.nextToken = nextToken
        self.maxResults = maxResults
        self.filters = filters
    }

    enum CodingKeys: String, CodingKey { case nextToken = "NextToken", maxResults = "MaxResults", filters = "Filters" }
}

/// `ListServices` output.
public struct ListServicesResponse: Codable, Sendable {
    public var services: [CloudMapService]?
    public var nextToken: String?

    public init(services: [CloudMapService]?, nextToken: String?) {
        self.services = services
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey { case services = "Services", nextToken = "NextToken" }
}
