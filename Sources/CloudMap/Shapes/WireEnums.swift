/// A string enum of the Cloud Map model whose decoding error names the allowed values.
public protocol WireEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable where RawValue == String {}

extension WireEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            let allowed = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(raw)' is not one of \(allowed)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// `HealthStatusFilter`: which instances `DiscoverInstances` returns.
public enum HealthStatusFilter: String, WireEnum {
    case healthy = "HEALTHY", unhealthy = "UNHEALTHY", all = "ALL", healthyOrElseAll = "HEALTHY_OR_ELSE_ALL"
}

/// `HealthStatus`: an instance's health as reported.
public enum HealthStatus: String, WireEnum {
    case healthy = "HEALTHY", unhealthy = "UNHEALTHY", unknown = "UNKNOWN"
}

/// `CustomHealthStatus`: what `UpdateInstanceCustomHealthStatus` sets.
public enum CustomHealthStatus: String, WireEnum {
    case healthy = "HEALTHY", unhealthy = "UNHEALTHY"
}

/// `NamespaceType`.
public enum NamespaceType: String, WireEnum {
    case dnsPublic = "DNS_PUBLIC", dnsPrivate = "DNS_PRIVATE", http = "HTTP"
}

/// `ServiceType` (output) and `ServiceTypeOption` (CreateService input, HTTP only).
public enum ServiceType: String, WireEnum {
    case http = "HTTP", dnsHTTP = "DNS_HTTP", dns = "DNS"
}

/// `OperationStatus`.
public enum OperationStatus: String, WireEnum {
    case submitted = "SUBMITTED", pending = "PENDING", success = "SUCCESS", fail = "FAIL"
}

/// `OperationType`.
public enum OperationType: String, WireEnum {
    case createNamespace = "CREATE_NAMESPACE", deleteNamespace = "DELETE_NAMESPACE"
    case updateNamespace = "UPDATE_NAMESPACE", updateService = "UPDATE_SERVICE"
    case registerInstance = "REGISTER_INSTANCE", deregisterInstance = "DEREGISTER_INSTANCE"
}

/// `OperationTargetType`: the keys of `Operation.Targets`.
public enum OperationTargetType: String, WireEnum {
    case namespace = "NAMESPACE", service = "SERVICE", instance = "INSTANCE"
}

/// `FilterCondition` of the List* filters.
public enum FilterCondition: String, WireEnum {
    case eq = "EQ", `in` = "IN", between = "BETWEEN", beginsWith = "BEGINS_WITH"
}

/// `NamespaceFilterName`.
public enum NamespaceFilterName: String, WireEnum {
    case type = "TYPE", name = "NAME", httpName = "HTTP_NAME", resourceOwner = "RESOURCE_OWNER"
}

/// `ServiceFilterName`.
public enum ServiceFilterName: String, WireEnum {
    case namespaceId = "NAMESPACE_ID", resourceOwner = "RESOURCE_OWNER"
}
