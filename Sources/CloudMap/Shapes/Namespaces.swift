import Foundation

/// `CreateHttpNamespace` input.
public struct CreateHttpNamespaceRequest: Codable, Sendable {
    public var name: String
    public var creatorRequestId: String?
    public var description: String?
    public var tags: [Tag]?

    public init(name: String, creatorRequestId: String? = nil, description: String? = nil, tags: [Tag]? = nil) {
        self.name = name
        self.creatorRequestId = creatorRequestId
        self.description = description
        self.tags = tags
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", creatorRequestId = "CreatorRequestId", description = "Description", tags = "Tags"
    }
}

/// The output of calls that start an operation: `OperationId`.
public struct OperationIdResponse: Codable, Sendable {
    public var operationId: String?

    public init(operationId: String?) { self.operationId = operationId }

    enum CodingKeys: String, CodingKey { case operationId = "OperationId" }
}

/// Input that names one resource by ID or ARN: `GetNamespace`, `DeleteNamespace`, `GetService`, `DeleteService`.
public struct ResourceIdRequest: Codable, Sendable {
    public var id: String

    public init(id: String) { self.id = id }

    enum CodingKeys: String, CodingKey { case id = "Id" }
}

/// `HttpProperties` and `DnsProperties` of a namespace (HTTP namespaces only fill `HttpProperties`).
public struct NamespaceProperties: Codable, Sendable, Equatable {
    /// `HttpProperties.HttpName`, kept as a nested object on the wire.
    public struct HTTPProperties: Codable, Sendable, Equatable {
        public var httpName: String?
        public init(httpName: String?) { self.httpName = httpName }
        enum CodingKeys: String, CodingKey { case httpName = "HttpName" }
    }

    /// `DnsProperties`: always empty for HTTP namespaces.
    public struct DNSProperties: Codable, Sendable, Equatable {
        public var hostedZoneId: String?
        public init(hostedZoneId: String? = nil) { self.hostedZoneId = hostedZoneId }
        enum CodingKeys: String, CodingKey { case hostedZoneId = "HostedZoneId" }
    }

    public var dnsProperties: DNSProperties?
    public var httpProperties: HTTPProperties?

    public init(dnsProperties: DNSProperties? = nil, httpProperties: HTTPProperties? = nil) {
        self.dnsProperties = dnsProperties
        self.httpProperties = httpProperties
    }

    enum CodingKeys: String, CodingKey { case dnsProperties = "DnsProperties", httpProperties = "HttpProperties" }
}

/// `Namespace` (GetNamespace) and `NamespaceSummary` (ListNamespaces) in one shape.
public struct Namespace: Codable, Sendable, Equatable {
    public var id: String?
    public var arn: String?
    public var resourceOwner: String?
    public var name: String?
    public var type: NamespaceType?
    public var description: String?
    public var serviceCount: Int?
    public var properties: NamespaceProperties?
    public var createDate: Date?
    public var creatorRequestId: String?

    public init(
        id: String? = nil, arn: String? = nil, resourceOwner: String? = nil, name: String? = nil,
        type: NamespaceType? = nil, description: String? = nil, serviceCount: Int? = nil,
        properties: NamespaceProperties? = nil, createDate: Date? = nil, creatorRequestId: String? = nil
    ) {
        self.id = id
        self.arn = arn
        self.resourceOwner = resourceOwner
        self.name = name
        self.type = type
        self.description = description
        self.serviceCount = serviceCount
        self.properties = properties
        self.createDate = createDate
        self.creatorRequestId = creatorRequestId
    }

    /// `Properties.HttpProperties.HttpName`: the name `DiscoverInstances` takes.
    public var httpName: String? { properties?.httpProperties?.httpName }

    enum CodingKeys: String, CodingKey {
        case id = "Id", arn = "Arn", resourceOwner = "ResourceOwner", name = "Name", type = "Type"
        case description = "Description", serviceCount = "ServiceCount", properties = "Properties"
        case createDate = "CreateDate", creatorRequestId = "CreatorRequestId"
    }
}

/// `GetNamespace` output.
public struct GetNamespaceResponse: Codable, Sendable {
    public var namespace: Namespace?
    public init(namespace: Namespace?) { self.namespace = namespace }
    enum CodingKeys: String, CodingKey { case namespace = "Namespace" }
}

/// `ListNamespaces` input.
public struct ListNamespacesRequest: Codable, Sendable {
    public var nextToken: String?
    public var maxResults: Int?
    public var filters: [ListFilter<NamespaceFilterName>]?

    public init(nextToken: String? = nil, maxResults: Int? = nil, filters: [ListFilter<NamespaceFilterName>]? = nil) {
        self.nextToken = nextToken
        self.maxResults = maxResults
        self.filters = filters
    }

    enum CodingKeys: String, CodingKey { case nextToken = "NextToken", maxResults = "MaxResults", filters = "Filters" }
}

/// `ListNamespaces` output.
public struct ListNamespacesResponse: Codable, Sendable {
    public var namespaces: [Namespace]?
    public var nextToken: String?

    public init(namespaces: [Namespace]?, nextToken: String?) {
        self.namespaces = namespaces
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey { case namespaces = "Namespaces", nextToken = "NextToken" }
}
