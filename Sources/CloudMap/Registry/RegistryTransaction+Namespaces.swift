import Foundation

extension RegistryTransaction {
    mutating func createHttpNamespace(_ request: CreateHttpNamespaceRequest) throws -> OperationIdResponse {
        let creatorKey = request.creatorRequestId.map { "namespace:" + $0 }
        if let creatorKey, let previous = state.creatorRequests[creatorKey],
            state.namespaces[previous.resourceId] != nil
        {
            guard previous.fingerprint == request.name else {
                throw CloudMapError(
                    .duplicateRequest,
                    "CreatorRequestId \(request.creatorRequestId ?? "") was already used to create namespace "
                        + "\(previous.resourceId).",
                    extra: ["DuplicateOperationId": previous.operationId])
            }
            return OperationIdResponse(operationId: previous.operationId)
        }
        if let existing = state.namespaces.values.first(where: { $0.namespace.name == request.name }) {
            var extra = ["NamespaceId": existing.namespace.id ?? ""]
            if let creator = existing.namespace.creatorRequestId { extra["CreatorRequestId"] = creator }
            throw CloudMapError(
                .namespaceAlreadyExists,
                "A namespace named \(request.name) already exists: \(existing.namespace.id ?? "").",
                extra: extra)
        }
        let id = RegistryIdentifiers.namespaceId()
        state.namespaces[id] = NamespaceRecord(
            namespace: Namespace(
                id: id,
                arn: "arn:aws:servicediscovery:\(configuration.region):\(configuration.accountId):namespace/\(id)",
                resourceOwner: configuration.accountId, name: request.name, type: .http,
                description: request.description,
                properties: NamespaceProperties(
                    dnsProperties: .init(), httpProperties: .init(httpName: request.name)),
                createDate: time, creatorRequestId: request.creatorRequestId),
            tags: request.tags ?? [])
        state.namespaceOrder.append(id)
        let operation = recordOperation(.createNamespace, targets: [.namespace: id])
        if let creatorKey {
            state.creatorRequests[creatorKey] = RegistryState.CreatorRequest(
                fingerprint: request.name, operationId: operation.id, resourceId: id,
                operationSequence: operation.sequence)
        }
        return OperationIdResponse(operationId: operation.id)
    }

    /// A namespace as GetNamespace reports it, with its current service count.
    func describe(_ record: NamespaceRecord) -> Namespace {
        var namespace = record.namespace
        namespace.serviceCount = state.services.values.count { $0.service.namespaceId == namespace.id }
        return namespace
    }

    func getNamespace(_ request: ResourceIdRequest) throws -> GetNamespaceResponse {
        GetNamespaceResponse(namespace: describe(try namespaceRecord(request.id)))
    }

    func listNamespaces(_ request: ListNamespacesRequest) throws -> ListNamespacesResponse {
        let filters = request.filters ?? []
        let matching = state.namespaceOrder.compactMap { state.namespaces[$0] }.filter { record in
            filters.allSatisfy { filter in
                switch filter.name {
                case .type: filter.matches(record.namespace.type?.rawValue ?? "")
                case .name: filter.matches(record.namespace.name ?? "")
                case .httpName: filter.matches(record.namespace.httpName ?? "")
                case .resourceOwner: filter.matches(configuration.accountId)
                }
            }
        }
        let (page, next) = try RegistryIdentifiers.page(matching, token: request.nextToken, limit: request.maxResults)
        let summaries = page.map { record in
            var summary = describe(record)
            summary.creatorRequestId = nil
            return summary
        }
        return ListNamespacesResponse(namespaces: summaries, nextToken: next)
    }

    mutating func deleteNamespace(_ request: ResourceIdRequest) throws -> OperationIdResponse {
        let record = try namespaceRecord(request.id)
        let id = record.namespace.id ?? ""
        let count = state.services.values.count { $0.service.namespaceId == id }
        if count > 0 {
            throw CloudMapError(
                .resourceInUse, "Namespace \(id) still contains \(count) service(s); delete them first.")
        }
        state.namespaces[id] = nil
        state.namespaceOrder.removeAll { $0 == id }
        return OperationIdResponse(operationId: recordOperation(.deleteNamespace, targets: [.namespace: id]).id)
    }
}
