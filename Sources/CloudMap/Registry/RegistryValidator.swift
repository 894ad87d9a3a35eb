/// Input checks with the limits of the Cloud Map model, in front of any `RegistryStore`.
/// Every failure is an `InvalidInput` whose message names the field and what is wrong with it.
public enum RegistryValidator {
    /// Keys the RegisterInstance doc reserves; they do not count as custom attributes.
    public static let reservedAttributeKeys: Set<String> = [
        "AWS_ALIAS_DNS_NAME", "AWS_EC2_INSTANCE_ID", "AWS_INIT_HEALTH_STATUS", "AWS_INSTANCE_CNAME",
        "AWS_INSTANCE_IPV4", "AWS_INSTANCE_IPV6", "AWS_INSTANCE_PORT",
    ]

    static func fail(_ message: String) -> CloudMapError { .invalidInput(message) }

    static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }

    static func length(_ field: String, _ value: String?, min: Int = 0, max: Int) throws {
        guard let value else { return }
        let count = value.utf8.count
        if count < min { throw fail("\(field) must be at least \(min) characters long, got \(count).") }
        if count > max { throw fail("\(field) must be at most \(max) characters long, got \(count).") }
    }

    static func required(_ field: String, _ value: String) throws {
        if value.isEmpty { throw fail("\(field) is required and must not be empty.") }
    }

    static func range(_ field: String, _ value: Int?, _ bounds: ClosedRange<Int>) throws {
        guard let value else { return }
        if !bounds.contains(value) {
            throw fail("\(field) must be between \(bounds.lowerBound) and \(bounds.upperBound), got \(value).")
        }
    }

    /// `NamespaceNameHttp`: 1-1024 printable ASCII characters, not starting with `arn:`.
    static func namespaceNameHTTP(_ field: String, _ name: String) throws {
        try namespaceName(field, name)
        if name.hasPrefix("arn:") { throw fail("\(field) must not start with 'arn:'.") }
    }

    /// `NamespaceName`: 1-1024 printable ASCII characters without spaces.
    static func namespaceName(_ field: String, _ name: String) throws {
        try required(field, name)
        try length(field, name, max: 1024)
        if !name.utf8.allSatisfy(isPrintable) {
            throw fail("\(field) '\(name)' may contain only printable ASCII characters without spaces.")
        }
    }

    /// `ServiceName`: a DNS-style name of 1-127 characters whose labels are 1-63 `[A-Za-z0-9_-]`,
    /// not starting or ending with `-`; or a single `.`.
    static func serviceName(_ field: String, _ name: String) throws {
        try required(field, name)
        if name == "." { return }
        let count = name.utf8.count
        if count > 127 { throw fail("\(field) must be at most 127 characters long, got \(count).") }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(label.utf8)
            let allowed = bytes.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
            if bytes.isEmpty || bytes.count > 63 || !allowed || bytes.first == UInt8(ascii: "-")
                || bytes.last == UInt8(ascii: "-")
            {
                throw fail(
                    "\(field) '\(name)' is not a valid service name: each dot-separated label must be 1-63 "
                        + "characters of letters, digits, '_' or '-', and must not start or end with '-'.")
            }
        }
    }

    /// `InstanceId` of RegisterInstance: 1-64 characters of `[0-9a-zA-Z_/:.@-]`.
    static func instanceIdForRegister(_ id: String) throws {
        try required("InstanceId", id)
        try length("InstanceId", id, max: 64)
        let allowed = id.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "_/:.@-".utf8.contains(byte)
        }
        if !allowed { throw fail("InstanceId '\(id)' may contain only letters, digits and _ / : . @ -.") }
    }

    /// `AttrKey`: 1-255 printable ASCII characters without spaces.
    static func attributeKey(_ field: String, _ key: String) throws {
        if key.isEmpty { throw fail("\(field) has an empty attribute key.") }
        if key.utf8.count > 255 {
            throw fail("\(field) key '\(key.prefix(40))...' is longer than 255 characters (\(key.utf8.count)).")
        }
        if !key.utf8.allSatisfy(isPrintable) {
            throw fail("\(field) key '\(key)' may contain only printable ASCII characters without spaces.")
        }
    }

    /// `AttrValue`: at most 1024 printable ASCII characters; spaces and tabs allowed, but not first.
    static func attributeValue(_ field: String, _ key: String, _ value: String) throws {
        let bytes = Array(value.utf8)
        if bytes.count > 1024 {
            throw fail("\(field) value of '\(key)' is longer than 1024 characters (\(bytes.count)).")
        }
        guard let first = bytes.first else { return }
        let rest = bytes.dropFirst().allSatisfy { isPrintable($0) || $0 == 0x20 || $0 == 0x09 }
        if !isPrintable(first) || !rest {
            throw fail(
                "\(field) value of '\(key)' may contain only printable ASCII characters, spaces and tabs, "
                    + "and must not start with a space or tab.")
        }
    }

    /// A whole attribute map: keys, values, at most 30 custom attributes and 5,000 characters in all.
    static func attributes(_ field: String, _ attributes: [String: String]) throws {
        var total = 0
        var custom = 0
        for (key, value) in attributes {
            try attributeKey(field, key)
            try attributeValue(field, key, value)
            total += key.utf8.count + value.utf8.count
            if !reservedAttributeKeys.contains(key) { custom += 1 }
        }
        if custom > 30 { throw fail("\(field) has \(custom) custom attributes; at most 30 are allowed.") }
        if total > 5000 {
            throw fail("\(field) keys and values add up to \(total) characters; at most 5000 are allowed.")
        }
    }

    static func tags(_ tags: [Tag]?) throws {
        guard let tags else { return }
        if tags.count > 50 {
            throw CloudMapError(.tooManyTags, "\(tags.count) tags given; at most 50 are allowed per resource.")
        }
        for tag in tags {
            try length("Tags.Key", tag.key, min: 1, max: 128)
            try length("Tags.Value of '\(tag.key)'", tag.value, max: 256)
        }
    }

    static func nextToken(_ token: String?) throws { try length("NextToken", token, max: 4096) }
}

extension RegistryValidator {
    static func validate(_ request: CreateHttpNamespaceRequest) throws {
        try namespaceNameHTTP("Name", request.name)
        try length("CreatorRequestId", request.creatorRequestId, max: 64)
        try length("Description", request.description, max: 1024)
        try tags(request.tags)
    }

    static func validate(_ request: ResourceIdRequest) throws {
        try required("Id", request.id)
        try length("Id", request.id, max: 255)
    }

    static func validate(_ request: ListNamespacesRequest) throws {
        try nextToken(request.nextToken)
        try range("MaxResults", request.maxResults, 1...100)
    }

    static func validate(_ request: ListServicesRequest) throws {
        try nextToken(request.nextToken)
        try range("MaxResults", request.maxResults, 1...100)
    }

    static func validate(_ request: CreateServiceRequest) throws {
        try serviceName("Name", request.name)
        guard let namespaceId = request.namespaceId, !namespaceId.isEmpty else {
            throw fail("NamespaceId is required: the ID or ARN of the HTTP namespace to create the service in.")
        }
        try length("NamespaceId", namespaceId, max: 255)
        try length("CreatorRequestId", request.creatorRequestId, max: 64)
        try length("Description", request.description, max: 1024)
        try tags(request.tags)
        if request.dnsConfig != nil {
            throw fail("DnsConfig is not supported: the registry has HTTP namespaces only, which have no DNS records.")
        }
        if request.healthCheckConfig != nil, request.healthCheckCustomConfig != nil {
            throw fail("Specify either HealthCheckConfig or HealthCheckCustomConfig, not both.")
        }
        if let type = request.healthCheckConfig?.type, !["HTTP", "HTTPS", "TCP"].contains(type) {
            throw fail("HealthCheckConfig.Type '\(type)' is not one of HTTP, HTTPS, TCP.")
        }
        try range("HealthCheckConfig.FailureThreshold", request.healthCheckConfig?.failureThreshold, 1...10)
        try range("HealthCheckCustomConfig.FailureThreshold", request.healthCheckCustomConfig?.failureThreshold, 1...10)
        if let type = request.type, type != .http { throw fail("Type '\(type.rawValue)' is not valid; only HTTP is.") }
    }

    static func validate(_ request: RegisterInstanceRequest) throws {
        try serviceId(request.serviceId)
        try instanceIdForRegister(request.instanceId)
        try length("CreatorRequestId", request.creatorRequestId, max: 64)
        try attributes("Attributes", request.attributes)
        if let initial = request.attributes["AWS_INIT_HEALTH_STATUS"], initial != "HEALTHY", initial != "UNHEALTHY" {
            throw fail("AWS_INIT_HEALTH_STATUS '\(initial)' is not one of HEALTHY, UNHEALTHY.")
        }
    }

    static func validate(_ request: InstanceRequest) throws {
        try serviceId(request.serviceId)
        try instanceId(request.instanceId)
    }

    static func validate(_ request: ListInstancesRequest) throws {
        try serviceId(request.serviceId)
        try nextToken(request.nextToken)
        try range("MaxResults", request.maxResults, 1...100)
    }

    static func validate(_ request: DiscoverInstancesRequest) throws {
        try namespaceName("NamespaceName", request.namespaceName)
        try serviceName("ServiceName", request.serviceName)
        try range("MaxResults", request.maxResults, 1...1000)
        try attributes("QueryParameters", request.queryParameters ?? [:])
        try attributes("OptionalParameters", request.optionalParameters ?? [:])
        try length("OwnerAccount", request.ownerAccount, min: 12, max: 12)
    }

    static func validate(_ request: DiscoverInstancesRevisionRequest) throws {
        try namespaceName("NamespaceName", request.namespaceName)
        try serviceName("ServiceName", request.serviceName)
        try length("OwnerAccount", request.ownerAccount, min: 12, max: 12)
    }

    static func validate(_ request: GetInstancesHealthStatusRequest) throws {
        try serviceId(request.serviceId)
        if let instances = request.instances {
            if instances.isEmpty { throw fail("Instances must list at least one instance ID when given.") }
            for id in instances { try instanceId(id) }
        }
        try range("MaxResults", request.maxResults, 1...100)
        try nextToken(request.nextToken)
    }

    static func validate(_ request: UpdateInstanceCustomHealthStatusRequest) throws {
        try serviceId(request.serviceId)
        try instanceId(request.instanceId)
    }

    static func validate(_ request: GetOperationRequest) throws {
        try required("OperationId", request.operationId)
        try length("OperationId", request.operationId, max: 255)
    }

    static func serviceId(_ id: String) throws {
        try required("ServiceId", id)
        try length("ServiceId", id, max: 255)
    }

    static func instanceId(_ id: String) throws {
        try required("InstanceId", id)
        try length("InstanceId", id, max: 64)
    }
}
