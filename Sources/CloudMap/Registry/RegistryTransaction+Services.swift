import Foundation

extension RegistryTransaction {
    mutating func createService(_ request: CreateServiceRequest) throws -> ServiceResponse {
        let namespace = try namespaceRecord(request.namespaceId ?? "")
        let namespaceId = namespace.namespace.id ?? ""
        if let existing = state.services.values.first(where: {
            $0.service.namespaceId == namespaceId && $0.service.name == request.name
        }) {
            var extra = ["ServiceId": existing.service.id ?? "", "ServiceArn": existing.service.arn ?? ""]
            if let creator = existing.service.creatorRequestId { extra["CreatorRequestId"] = creator }
            throw CloudMapError(
                .serviceAlreadyExists,
                "A service named \(request.name) already exists in namespace \(namespaceId): "
                    + (existing.service.id ?? "") + ".",
                extra: extra)
        }
        let id = RegistryIdentifiers.serviceId()
        let service = CloudMapService(
            id: id, arn: "arn:aws:servicediscovery:\(configuration.region):\(configuration.accountId):service/\(id)",
            resourceOwner: configuration.accountId, name: request.name, namespaceId: namespaceId,
            description: request.description, instanceCount: 0, type: .http,
            healthCheckConfig: request.healthCheckConfig,
            healthCheckCustomConfig: request.healthCheckCustomConfig.map { _ in
                HealthCheckCustomConfig(failureThreshold: 1)
            },
            createDate: time, creatorRequestId: request.creatorRequestId, createdByAccount: configuration.accountId)
        state.services[id] = ServiceRecord(service: service, tags: request.tags ?? [], revision: state.revisionCounter)
        state.serviceOrder.append(id)
        return ServiceResponse(service: service)
    }

    /// A service as GetService reports it, with its current instance count.
    func describe(_ record: ServiceRecord) -> CloudMapService {
        var service = record.service
        service.instanceCount = record.instances.count
        return service
    }

    func getService(_ request: ResourceIdRequest) throws -> ServiceResponse {
        ServiceResponse(service: describe(try serviceRecord(request.id)))
    }

    func listServices(_ request: ListServicesRequest) throws -> ListServicesResponse {
        let filters = request.filters ?? []
        let matching = state.serviceOrder.compactMap { state.services[$0] }.filter { record in
            filters.allSatisfy { filter in
                switch filter.name {
                case .namespaceId: filter.matches(record.service.namespaceId ?? "")
                case .resourceOwner: filter.matches(configuration.accountId)
                }
            }
        }
        let (page, next) = try RegistryIdentifiers.page(matching, token: request.nextToken, limit: request.maxResults)
        let summaries = page.map { record in
            var summary = describe(record)
            summary.namespaceId = nil
            summary.creatorRequestId = nil
            return summary
        }
        return ListServicesResponse(services: summaries, nextToken: next)
    }

    mutating func deleteService(_ request: ResourceIdRequest) throws -> EmptyResponse {
        let record = try serviceRecord(request.id)
        let id = record.service.id ?? ""
        if !record.instances.isEmpty {
            throw CloudMapError(
                .resourceInUse,
                "Service \(id) still has \(record.instances.count) registered instance(s); deregister them first.")
        }
        state.services[id] = nil
        state.serviceOrder.removeAll { $0 == id }
        return EmptyResponse()
    }
}
