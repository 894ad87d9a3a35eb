import CloudMap

extension RegistryAdvertiser {
    /// The id of `service` in the HTTP namespace `namespace`, creating either when it does not exist yet.
    ///
    /// The first agent of a new mesh creates them, so a registry needs no set-up. Creation is idempotent:
    /// the creator request ids are derived from the names, so agents that start together create one
    /// namespace and one service between them (Cloud Map returns the same operation for a repeated id).
    /// The service gets a custom health check, so the agents' heartbeats decide its instances' health.
    public static func ensureServiceId(
        client: CloudMapClient, namespace: String, service: String, operationTimeout: Duration = .seconds(60)
    ) async throws -> String {
        let namespaceId = try await ensureNamespaceId(
            client: client, namespace: namespace, operationTimeout: operationTimeout)
        if let existing = try await serviceId(client: client, namespaceId: namespaceId, service: service) {
            return existing
        }
        do {
            let created = try await client.createService(
                CreateServiceRequest(
                    name: service, namespaceId: namespaceId, creatorRequestId: "mesh-service-\(namespace)-\(service)",
                    description: "A2A agents of the mesh", healthCheckCustomConfig: HealthCheckCustomConfig()))
            if let id = created.id { return id }
        } catch let error as CloudMapError where error.code == .serviceAlreadyExists {
            if let id = error.extra["ServiceId"] { return id }
        }
        guard let id = try await serviceId(client: client, namespaceId: namespaceId, service: service) else {
            throw CloudMapError(.serviceNotFound, "Service '\(service)' in '\(namespace)' could not be created.")
        }
        return id
    }

    /// The id of the namespace named `namespace`, creating it as an HTTP namespace when missing.
    static func ensureNamespaceId(
        client: CloudMapClient, namespace: String, operationTimeout: Duration
    ) async throws -> String {
        if let existing = try await namespaceId(client: client, namespace: namespace) { return existing }
        let operationId: String?
        do {
            operationId = try await client.createHttpNamespace(
                CreateHttpNamespaceRequest(
                    name: namespace, creatorRequestId: "mesh-namespace-\(namespace)",
                    description: "A2A mesh agents")
            ).operationId
        } catch let error as CloudMapError where error.code == .namespaceAlreadyExists {
            if let id = error.extra["NamespaceId"] { return id }
            operationId = nil
        }
        if let operationId {
            // AWS creates namespaces asynchronously; the embedded registry reports SUCCESS at once.
            let deadline = ContinuousClock.now + operationTimeout
            while true {
                let operation = try await client.getOperation(id: operationId)
                switch operation.status {
                case .success:
                    if let id = operation.targets?["NAMESPACE"] { return id }
                case .fail:
                    throw CloudMapError(
                        CloudMapErrorCode(rawValue: operation.errorCode ?? "OperationFailed"),
                        "Creating namespace '\(namespace)' failed: \(operation.errorMessage ?? "no reason given").")
                default:
                    break
                }
                if operation.status == .success || ContinuousClock.now > deadline { break }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        guard let id = try await namespaceId(client: client, namespace: namespace) else {
            throw CloudMapError(.namespaceNotFound, "Namespace '\(namespace)' could not be created in time.")
        }
        return id
    }

    static func namespaceId(client: CloudMapClient, namespace: String) async throws -> String? {
        var token: String?
        repeat {
            let page = try await client.listNamespaces(ListNamespacesRequest(nextToken: token))
            if let id = page.namespaces?.first(where: { $0.name == namespace })?.id { return id }
            token = page.nextToken
        } while token != nil
        return nil
    }

    static func serviceId(client: CloudMapClient, namespaceId: String, service: String) async throws -> String? {
        var token: String?
        repeat {
            let page = try await client.listServices(
                ListServicesRequest(
                    nextToken: token, filters: [.init(name: .namespaceId, values: [namespaceId], condition: .eq)]))
            if let id = page.services?.first(where: { $0.name == service })?.id { return id }
            token = page.nextToken
        } while token != nil
        return nil
    }
}
