import Foundation

extension RegistryTransaction {
    /// Creates the instance or replaces its attributes. A re-registration is also a heartbeat: it resets
    /// the custom health to `AWS_INIT_HEALTH_STATUS` (HEALTHY by default), as AWS recreates the check.
    mutating func registerInstance(_ request: RegisterInstanceRequest) throws -> OperationIdResponse {
        var service = try serviceRecord(request.serviceId)
        let serviceId = service.service.id ?? ""
        let fingerprint = serviceId + "/" + request.instanceId
        let creatorKey = request.creatorRequestId.map { "instance:" + $0 }
        if let creatorKey, let previous = state.creatorRequests[creatorKey], previous.fingerprint != fingerprint {
            throw CloudMapError(
                .duplicateRequest,
                "CreatorRequestId \(request.creatorRequestId ?? "") was already used to register instance "
                    + "\(previous.resourceId).",
                extra: ["DuplicateOperationId": previous.operationId])
        }
        let initial =
            CustomHealthStatus(rawValue: request.attributes["AWS_INIT_HEALTH_STATUS"] ?? "HEALTHY") ?? .healthy
        let previous = service.instances[request.instanceId]
        if previous?.instance.attributes != request.attributes {
            service.revision = nextRevision()
        }
        if previous == nil { service.instanceOrder.append(request.instanceId) }
        service.instances[request.instanceId] = InstanceRecord(
            instance: Instance(
                id: request.instanceId, creatorRequestId: request.creatorRequestId, attributes: request.attributes,
                createdByAccount: configuration.accountId),
            customHealth: initial, lastHeartbeat: time)
        state.services[serviceId] = service
        let operation = recordOperation(
            .registerInstance, targets: [.service: serviceId, .instance: request.instanceId])
        if let creatorKey {
            state.creatorRequests[creatorKey] = RegistryState.CreatorRequest(
                fingerprint: fingerprint, operationId: operation.id, resourceId: request.instanceId,
                operationSequence: operation.sequence)
        }
        return OperationIdResponse(operationId: operation.id)
    }

    mutating func deregisterInstance(_ request: InstanceRequest) throws -> OperationIdResponse {
        var service = try serviceRecord(request.serviceId)
        _ = try instanceRecord(service, request.instanceId)
        let serviceId = service.service.id ?? ""
        service.instances[request.instanceId] = nil
        service.instanceOrder.removeAll { $0 == request.instanceId }
        service.revision = nextRevision()
        state.services[serviceId] = service
        return OperationIdResponse(
            operationId: recordOperation(
                .deregisterInstance, targets: [.service: serviceId, .instance: request.instanceId]
            ).id)
    }

    func getInstance(_ request: InstanceRequest) throws -> GetInstanceResponse {
        let service = try serviceRecord(request.serviceId)
        let instance = try instanceRecord(service, request.instanceId)
        return GetInstanceResponse(resourceOwner: configuration.accountId, instance: instance.instance)
    }

    func listInstances(_ request: ListInstancesRequest) throws -> ListInstancesResponse {
        let service = try serviceRecord(request.serviceId)
        let all = service.instanceOrder.compactMap { service.instances[$0]?.instance }
        let (page, next) = try RegistryIdentifiers.page(all, token: request.nextToken, limit: request.maxResults)
        let summaries = page.map {
            Instance(id: $0.id, attributes: $0.attributes, createdByAccount: $0.createdByAccount)
        }
        return ListInstancesResponse(resourceOwner: configuration.accountId, instances: summaries, nextToken: next)
    }

    func getInstancesHealthStatus(_ request: GetInstancesHealthStatusRequest) throws
        -> GetInstancesHealthStatusResponse
    {
        let service = try serviceRecord(request.serviceId)
        let ids = request.instances ?? service.instanceOrder
        for id in ids { _ = try instanceRecord(service, id) }
        let (page, next) = try RegistryIdentifiers.page(ids, token: request.nextToken, limit: request.maxResults)
        var status: [String: HealthStatus] = [:]
        for id in page {
            if let instance = service.instances[id] { status[id] = health(of: instance, in: service.service) }
        }
        return GetInstancesHealthStatusResponse(status: status, nextToken: next)
    }

    /// HEALTHY is a heartbeat: it restores the instance and restarts its TTL.
    mutating func updateInstanceCustomHealthStatus(_ request: UpdateInstanceCustomHealthStatusRequest) throws
        -> EmptyResponse
    {
        let service = try serviceRecord(request.serviceId)
        _ = try instanceRecord(service, request.instanceId)
        guard service.service.healthCheckCustomConfig != nil else {
            throw CloudMapError(
                .customHealthNotFound,
                "Service \(service.service.id ?? "") has no HealthCheckCustomConfig, so instance "
                    + "\(request.instanceId) has no custom health check to update.")
        }
        let serviceId = service.service.id ?? ""
        state.services[serviceId]?.instances[request.instanceId]?.customHealth = request.status
        state.services[serviceId]?.instances[request.instanceId]?.lastHeartbeat = time
        return EmptyResponse()
    }
}
