import Foundation

extension RegistryTransaction {
    /// QueryParameters must all match exactly; the health filter applies only to services with a
    /// health check; OptionalParameters narrow the result only if some instances match them; the
    /// order is random and MaxResults (default 100) truncates. Without HealthStatus, ALL is assumed.
    func discoverInstances(_ request: DiscoverInstancesRequest) throws -> DiscoverInstancesResponse {
        let (namespace, service) = try serviceRecord(
            namespaceName: request.namespaceName, serviceName: request.serviceName)
        let query = request.queryParameters ?? [:]
        var candidates = service.instanceOrder.compactMap { service.instances[$0] }
            .filter { record in Self.matches(record.instance.attributes ?? [:], query) }
            .map { (record: $0, health: health(of: $0, in: service.service)) }
        let hasHealthCheck = service.service.healthCheckCustomConfig != nil || service.service.healthCheckConfig != nil
        if hasHealthCheck {
            switch request.healthStatus ?? .all {
            case .all: break
            case .healthy: candidates = candidates.filter { $0.health == .healthy }
            case .unhealthy: candidates = candidates.filter { $0.health == .unhealthy }
            case .healthyOrElseAll:
                let healthy = candidates.filter { $0.health == .healthy }
                if !healthy.isEmpty { candidates = healthy }
            }
        }
        if let optional = request.optionalParameters, !optional.isEmpty {
            let narrowed = candidates.filter { Self.matches($0.record.instance.attributes ?? [:], optional) }
            if !narrowed.isEmpty { candidates = narrowed }
        }
        let summaries = candidates.shuffled().prefix(request.maxResults ?? 100).map { candidate in
            HttpInstanceSummary(
                instanceId: candidate.record.instance.id, namespaceName: namespace.namespace.httpName,
                serviceName: service.service.name, healthStatus: candidate.health,
                attributes: candidate.record.instance.attributes)
        }
        return DiscoverInstancesResponse(instances: Array(summaries), instancesRevision: service.revision)
    }

    func discoverInstancesRevision(_ request: DiscoverInstancesRevisionRequest) throws
        -> DiscoverInstancesRevisionResponse
    {
        let (_, service) = try serviceRecord(namespaceName: request.namespaceName, serviceName: request.serviceName)
        return DiscoverInstancesRevisionResponse(instancesRevision: service.revision)
    }

    /// Every filter key is present with exactly the filter's value.
    static func matches(_ attributes: [String: String], _ filters: [String: String]) -> Bool {
        filters.allSatisfy { attributes[$0.key] == $0.value }
    }
}
