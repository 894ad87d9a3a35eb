import Foundation

/// `RegisterInstance` input: creates the instance or replaces its attributes.
public struct RegisterInstanceRequest: Codable, Sendable {
    public var serviceId: String
    public var instanceId: String
    public var creatorRequestId: String?
    public var attributes: [String: String]

    public init(serviceId: String, instanceId: String, attributes: [String: String], creatorRequestId: String? = nil) {
        self.serviceId = serviceId
        self.instanceId = instanceId
        self.attributes = attributes
        self.creatorRequestId = creatorRequestId
    }

    enum CodingKeys: String, CodingKey {
        case serviceId = "ServiceId", instanceId = "InstanceId", creatorRequestId = "CreatorRequestId"
        case attributes = "Attributes"
    }
}

/// Input that names one instance of a service: `DeregisterInstance`, `GetInstance`.
public struct InstanceRequest: Codable, Sendable {
    public var serviceId: String
    public var instanceId: String

    public init(serviceId: String, instanceId: String) {
        self.serviceId = serviceId
        self.instanceId = instanceId
    }

    enum CodingKeys: String, CodingKey { case serviceId = "ServiceId", instanceId = "InstanceId" }
}

/// `Instance` (GetInstance) and `InstanceSummary` (ListInstances) in one shape.
public struct Instance: Codable, Sendable, Equatable {
    public var id: String
    public var creatorRequestId: String?
    public var attributes: [String: String]?
    public var createdByAccount: String?

    public init(
        id: String, creatorRequestId: String? = nil, attributes: [String: String]? = nil,
        createdByAccount: String? = nil
    ) {
        self.id = id
        self.creatorRequestId = creatorRequestId
        self.attributes = attributes
        self.createdByAccount = createdByAccount
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", creatorRequestId = "CreatorRequestId", attributes = "Attributes"
        case createdByAccount = "CreatedByAccount"
    }
}

/// `GetInstance` output.
public struct GetInstanceResponse: Codable, Sendable {
    public var resourceOwner: String?
    public var instance: Instance?

    public init(resourceOwner: String?, instance: Instance?) {
        self.resourceOwner = resourceOwner
        self.instance = instance
    }

    enum CodingKeys: String, CodingKey { case resourceOwner = "ResourceOwner", instance = "Instance" }
}

/// `ListInstances` input.
public struct ListInstancesRequest: Codable, Sendable {
    public var serviceId: String
    public var nextToken: String?
    public var maxResults: Int?

    public init(serviceId: String, nextToken: String? = nil, maxResults: Int? = nil) {
        self.serviceId = serviceId
        self.nextToken = nextToken
        self.maxResults = maxResults
    }

    enum CodingKeys: String, CodingKey {
        case serviceId = "ServiceId", nextToken = "NextToken", maxResults = "MaxResults"
    }
}

/// `ListInstances` output.
public struct ListInstancesResponse: Codable, Sendable {
    public var resourceOwner: String?
    public var instances: [Instance]?
    public var nextToken: String?

    public init(resourceOwner: String?, instances: [Instance]?, nextToken: String?) {
        self.resourceOwner = resourceOwner
        self.instances = instances
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey {
        case resourceOwner = "ResourceOwner", instances = "Instances", nextToken = "NextToken"
    }
}

/// `GetInstancesHealthStatus` input.
public struct GetInstancesHealthStatusRequest: Codable, Sendable {
    public var serviceId: String
    public var instances: [String]?
    public var maxResults: Int?
    public var nextToken: String?

    public init(serviceId: String, instances: [String]? = nil, maxResults: Int? = nil, nextToken: String? = nil) {
        self.serviceId = serviceId
        self.instances = instances
        self.maxResults = maxResults
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey {
        case serviceId = "ServiceId", instances = "Instances", maxResults = "MaxResults", nextToken = "NextToken"
    }
}

/// `GetInstancesHealthStatus` output.
public struct GetInstancesHealthStatusResponse: Codable, Sendable {
    public var status: [String: HealthStatus]?
    public var nextToken: String?

    public init(status: [String: HealthStatus]?, nextToken: String?) {
        self.status = status
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey { case status = "Status", nextToken = "NextToken" }
}

/// `UpdateInstanceCustomHealthStatus` input (the call has no output).
public struct UpdateInstanceCustomHealthStatusRequest: Codable, Sendable {
    public var serviceId: String
    public var instanceId: String
    public var status: CustomHealthStatus

    public init(serviceId: String, instanceId: String, status: CustomHealthStatus) {
        self.serviceId = serviceId
        self.instanceId = instanceId
        self.status = status
    }

    enum CodingKeys: String, CodingKey { case serviceId = "ServiceId", instanceId = "InstanceId", status = "Status" }
}
