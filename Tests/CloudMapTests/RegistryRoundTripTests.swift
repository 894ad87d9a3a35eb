import CloudMap
import Testing

/// The client against the embedded registry over a loopback socket.
@Suite struct RegistryRoundTripTests {
    @Test func namespacesAndServices() async throws {
        try await withRegistry { client in
            let (namespaceId, serviceId) = try await makeService(client)
            let namespace = try await client.getNamespace(id: namespaceId)
            #expect(namespace.name == "mesh.local")
            #expect(namespace.type == .http)
            #expect(namespace.httpName == "mesh.local")
            #expect(namespace.serviceCount == 1)
            #expect(namespace.arn?.hasSuffix(":namespace/\(namespaceId)") == true)
            #expect(try await client.getNamespace(id: namespace.arn ?? "").id == namespaceId)
            let service = try await client.getService(id: serviceId)
            #expect(service.name == "agents")
            #expect(service.namespaceId == namespaceId)
            #expect(service.healthCheckCustomConfig != nil)
            let listed = try await client.listServices(
                .init(filters: [.init(name: .namespaceId, values: [namespaceId], condition: .eq)]))
            #expect(listed.services?.map(\.id) == [serviceId])
            #expect(try await client.listNamespaces().namespaces?.map(\.id) == [namespaceId])
            await expectCloudMapError(.resourceInUse) { _ = try await client.deleteNamespace(id: namespaceId) }
            try await client.deleteService(id: serviceId)
            let deleted = try await client.deleteNamespace(id: namespaceId)
            let operation = try await client.getOperation(id: deleted.operationId ?? "")
            #expect(operation.status == .success)
            #expect(operation.type == .deleteNamespace)
            await expectCloudMapError(.namespaceNotFound) { _ = try await client.getNamespace(id: namespaceId) }
        }
    }

    @Test func registerDiscoverBySkillAndDeregister() async throws {
        try await withRegistry { client in
            let (_, serviceId) = try await makeService(client)
            let registered = try await client.registerInstance(
                .init(
                    serviceId: serviceId, instanceId: "planner",
                    attributes: agentAttributes("planner", port: 9101, skills: ["plan"])))
            #expect(try await client.getOperation(id: registered.operationId ?? "").type == .registerInstance)
            _ = try await client.registerInstance(
                .init(
                    serviceId: serviceId, instanceId: "retriever",
                    attributes: agentAttributes("retriever", port: 9102, skills: ["retrieve", "evaluate"])))
            _ = try await client.registerInstance(
                .init(
                    serviceId: serviceId, instanceId: "retriever-2",
                    attributes: agentAttributes("retriever-2", port: 9103, skills: ["retrieve"])))

            let retrieve = try await client.discoverInstances(
                .init(namespaceName: "mesh.local", serviceName: "agents", queryParameters: ["skill.retrieve": "1"]))
            #expect(Set(retrieve.instances?.compactMap(\.instanceId) ?? []) == ["retriever", "retriever-2"])
            #expect(retrieve.instances?.first?.namespaceName == "mesh.local")
            #expect(retrieve.instances?.first?.serviceName == "agents")

            let both = try await client.discoverInstances(
                .init(
                    namespaceName: "mesh.local", serviceName: "agents",
                    queryParameters: ["skill.retrieve": "1", "skill.evaluate": "1"]))
            #expect(both.instances?.map(\.instanceId) == ["retriever"])

            let optional = try await client.discoverInstances(
                .init(
                    namespaceName: "mesh.local", serviceName: "agents", queryParameters: ["skill.retrieve": "1"],
                    optionalParameters: ["agent": "retriever-2"]))
            #expect(optional.instances?.map(\.instanceId) == ["retriever-2"])
            let ignored = try await client.discoverInstances(
                .init(
                    namespaceName: "mesh.local", serviceName: "agents", queryParameters: ["skill.retrieve": "1"],
                    optionalParameters: ["agent": "nobody"]))
            #expect(ignored.instances?.count == 2)

            let limited = try await client.discoverInstances(
                .init(namespaceName: "mesh.local", serviceName: "agents", maxResults: 1))
            #expect(limited.instances?.count == 1)

            let before = try await client.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents")
            _ = try await client.deregisterInstance(serviceId: serviceId, instanceId: "retriever-2")
            let after = try await client.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents")
            #expect(after > before)
            let remaining = try await client.discoverInstances(
                .init(namespaceName: "mesh.local", serviceName: "agents", queryParameters: ["skill.retrieve": "1"]))
            #expect(remaining.instances?.map(\.instanceId) == ["retriever"])
            #expect(remaining.instancesRevision == after)
            await expectCloudMapError(.instanceNotFound) {
                _ = try await client.getInstance(serviceId: serviceId, instanceId: "retriever-2")
            }
        }
    }

    @Test func registerIsAnUpsertAndRevisionOnlyGrows() async throws {
        try await withRegistry { client in
            let (_, serviceId) = try await makeService(client)
            var revisions: [Int64] = [
                try await client.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents")
            ]
            func record() async throws {
                revisions.append(
                    try await client.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents"))
            }
            _ = try await client.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: ["v": "1"]))
            try await record()
            _ = try await client.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: ["v": "2"]))
            try await record()
            // A heartbeat re-registration with the same attributes changes nothing.
            _ = try await client.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: ["v": "2"]))
            #expect(
                try await client.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents")
                    == revisions.last)
            _ = try await client.deregisterInstance(serviceId: serviceId, instanceId: "a")
            try await record()
            #expect(zip(revisions, revisions.dropFirst()).allSatisfy { $0 < $1 })
            let listed = try await client.listInstances(.init(serviceId: serviceId))
            #expect(listed.instances?.isEmpty == true)
            _ = try await client.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: ["v": "3"]))
            let instance = try await client.getInstance(serviceId: serviceId, instanceId: "a")
            #expect(instance.instance?.attributes == ["v": "3"])
            #expect(try await client.listInstances(.init(serviceId: serviceId)).instances?.count == 1)
        }
    }

    @Test func listInstancesPages() async throws {
        try await withRegistry { client in
            let (_, serviceId) = try await makeService(client)
            for index in 0..<5 {
                _ = try await client.registerInstance(
                    .init(serviceId: serviceId, instanceId: "i\(index)", attributes: [:]))
            }
            var seen: [String] = []
            var token: String?
            repeat {
                let page = try await client.listInstances(.init(serviceId: serviceId, nextToken: token, maxResults: 2))
                #expect((page.instances?.count ?? 0) <= 2)
                seen += page.instances?.map(\.id) ?? []
                token = page.nextToken
            } while token != nil
            #expect(seen == ["i0", "i1", "i2", "i3", "i4"])
            await expectCloudMapError(.invalidInput) {
                _ = try await client.listInstances(.init(serviceId: serviceId, nextToken: "bogus"))
            }
        }
    }
}
