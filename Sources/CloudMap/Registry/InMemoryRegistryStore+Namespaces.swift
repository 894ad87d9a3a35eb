import Foundation

extension InMemoryRegistryStore {
    public func createHttpNamespace(_ request: CreateHttpNamespaceRequest) throws -> OperationIdResponse {
        let creatorKey = request.creatorRequestId.map { "namespace:" + $0 }
        if let creatorKey, let previous = creatorRequests[creatorKey], namespaces[previous.resourceId] != nil {
            guard previous.fingerprint == request.name else {
                throw CloudMapError(
                    .duplicateRequest,
                    "CreatorRequestId \(request.creatorRequestId ?? "") was already used to create namespace "
                        + "\(previous.resourceId).",
                    extra: ["DuplicateOperationId": previous.operationId])
            }
            return OperationIdResponse(operationId: previous.operationId)
        }
        if let existing = namespaces.values.first(where: { $0.namespace.name == request.name }) {
            var extra = ["NamespaceId": existing.namespace.id ?? ""]
            if let creator = existing.namespace.creatorRequestId { extra["CreatorRequestId"] = creator }
            throw CloudMapError(
                .namespaceAlreadyExists,
                "A namespace named \(request.name) already exists: \(existing.namespace.id ?? "").",
                extra: extra)
        }
        let id = RegistryIdentifiers.namespaceId()
        namespaces[id] = NamespaceRecord(
            namespace: Namespace(
                id: id,
                arn: "arn:aws:servicediscovery:\(configuration.region):\(configuration.accountId):namespace/\(id)",
                resourceOwner: configuration.accountId, name: request.name, type: .http,
                description: request.description,
                properties: NamespaceProperties(
                    dnsProperties: .init(), httpProperties: .init(httpName: request.name)),
                createDate: now(), creatorRequestId: request.creatorRequestId),
            tags: request.tags ?? [])
        namespaceOrder.append(id)
        let operationId = recordOperation(.createNamespace, targets: [.namespace: id])
        if let creatorKey {
            creatorRequests[creatorKey] = CreatorRequest(
                fingerprint: request.name, operationId: operationId, resourceId: id)
        }
        return OperationIdResponse(operationId: operationId)
    }

    /// A namespace as GetNamespace reports it, with its current service count.
    func describe(_ record: NamespaceRecord) -> Namespace {
        var namespace = record.namespace
        namespace.serviceCount = services.values.count { $0.service.namespaceId == namespace.id }
        return namespace
    }

    public func getNamespace(_ request: ResourceIdRequest) throws -> GetNamespaceResponse {
        GetNamespaceResponse(namespace: describe(try namespaceRecord(request.id)))
    }

    public func listNamespaces(_ request: ListNamespacesRequest) throws -> ListNamespacesResponse {
        let filters = request.filters ?? []
        let matching = namespaceOrder.compactMap { namespaces[$0] }.filter { record in
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

    public func deleteNamespace(_ request: ResourceIdRequest) throws -> OperationIdResponse {
        let record = try namespaceRecord(request.id)
        let id = record.namespace.id ?? ""
        let count = services.values.count { $0.service.namespaceId == id }
        if count > 0 {
            throw CloudMapError(
                .resourceInUse, "Namespace \(id) still contains \(count) service(s); delete them first.")
        }
        namespaces[id] = nil
        namespaceOrder.removeAll { $0 == id }
        return OperationIdResponse(operationId: recordOperation(.deleteNamespace, targets: [.namespace: id]))
    }
}
