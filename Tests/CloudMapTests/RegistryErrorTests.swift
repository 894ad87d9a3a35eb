import CloudMap
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Error types and InvalidInput messages, through the client and as raw awsJson.
@Suite struct RegistryErrorTests {
    @Test func notFoundErrors() async throws {
        try await withRegistry { client in
            await expectCloudMapError(.namespaceNotFound) { _ = try await client.getNamespace(id: "ns-missing") }
            await expectCloudMapError(.namespaceNotFound) {
                _ = try await client.createService(.init(name: "agents", namespaceId: "ns-missing"))
            }
            await expectCloudMapError(.serviceNotFound) { _ = try await client.getService(id: "srv-missing") }
            await expectCloudMapError(.serviceNotFound) {
                _ = try await client.registerInstance(.init(serviceId: "srv-missing", instanceId: "a", attributes: [:]))
            }
            await expectCloudMapError(.operationNotFound) { _ = try await client.getOperation(id: "nope") }
            await expectCloudMapError(.namespaceNotFound) {
                _ = try await client.discoverInstances(.init(namespaceName: "nowhere", serviceName: "agents"))
            }
            let (_, serviceId) = try await makeService(client)
            await expectCloudMapError(.serviceNotFound) {
                _ = try await client.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "other")
            }
            await expectCloudMapError(.instanceNotFound) {
                _ = try await client.deregisterInstance(serviceId: serviceId, instanceId: "ghost")
            }
            await expectCloudMapError(.instanceNotFound) {
                try await client.updateInstanceCustomHealthStatus(
                    serviceId: serviceId, instanceId: "ghost", status: .healthy)
            }
        }
    }

    @Test func conflictErrors() async throws {
        try await withRegistry { client in
            let (namespaceId, serviceId) = try await makeService(client)
            let exists = await expectCloudMapError(.namespaceAlreadyExists) {
                _ = try await client.createHttpNamespace(.init(name: "mesh.local"))
            }
            #expect(exists?.extra["NamespaceId"] == namespaceId)
            let serviceExists = await expectCloudMapError(.serviceAlreadyExists) {
                _ = try await client.createService(.init(name: "agents", namespaceId: namespaceId))
            }
            #expect(serviceExists?.extra["ServiceId"] == serviceId)
            let first = try await client.createHttpNamespace(.init(name: "other", creatorRequestId: "req-1"))
            // A retry with the same CreatorRequestId is the same request.
            #expect(
                try await client.createHttpNamespace(.init(name: "other", creatorRequestId: "req-1")).operationId
                    == first.operationId)
            let duplicate = await expectCloudMapError(.duplicateRequest) {
                _ = try await client.createHttpNamespace(.init(name: "third", creatorRequestId: "req-1"))
            }
            #expect(duplicate?.extra["DuplicateOperationId"] == first.operationId)
            _ = try await client.registerInstance(
                .init(serviceId: serviceId, instanceId: "a", attributes: [:], creatorRequestId: "r"))
            await expectCloudMapError(.duplicateRequest) {
                _ = try await client.registerInstance(
                    .init(serviceId: serviceId, instanceId: "b", attributes: [:], creatorRequestId: "r"))
            }
            await expectCloudMapError(.resourceInUse) { try await client.deleteService(id: serviceId) }
        }
    }

    @Test func invalidInputSaysWhatIsWrong() async throws {
        try await withRegistry { client in
            let (namespaceId, serviceId) = try await makeService(client)
            func message(_ body: () async throws -> Void) async -> String {
                await expectCloudMapError(.invalidInput, body)?.message ?? ""
            }
            #expect(
                await message { _ = try await client.createHttpNamespace(.init(name: "arn:aws:x")) }.contains("arn:"))
            #expect(
                await message { _ = try await client.createHttpNamespace(.init(name: "has space")) }.contains("Name"))
            #expect(
                await message { _ = try await client.createService(.init(name: "-bad", namespaceId: namespaceId)) }
                    .contains("service name"))
            #expect(
                await message {
                    _ = try await client.registerInstance(
                        .init(serviceId: serviceId, instanceId: "bad id", attributes: [:]))
                }.contains("InstanceId"))
            #expect(
                await message {
                    _ = try await client.registerInstance(
                        .init(serviceId: serviceId, instanceId: "a", attributes: ["AWS_INIT_HEALTH_STATUS": "MAYBE"]))
                }.contains("AWS_INIT_HEALTH_STATUS"))
            #expect(
                await message {
                    _ = try await client.registerInstance(
                        .init(
                            serviceId: serviceId, instanceId: "a", attributes: [String(repeating: "k", count: 256): "v"]
                        ))
                }.contains("255"))
            #expect(
                await message {
                    _ = try await client.registerInstance(
                        .init(
                            serviceId: serviceId, instanceId: "a",
                            attributes: ["k": String(repeating: "v", count: 1025)]))
                }.contains("1024"))
            #expect(
                await message {
                    _ = try await client.registerInstance(
                        .init(serviceId: serviceId, instanceId: "a", attributes: ["k": " leading"]))
                }.contains("must not start with a space"))
            let many = Dictionary(uniqueKeysWithValues: (0..<31).map { ("k\($0)", "v") })
            #expect(
                await message {
                    _ = try await client.registerInstance(
                        .init(serviceId: serviceId, instanceId: "a", attributes: many))
                }.contains("at most 30"))
            let large = Dictionary(
                uniqueKeysWithValues: (0..<6).map { ("k\($0)", String(repeating: "v", count: 1000)) })
            #expect(
                await message {
                    _ = try await client.registerInstance(
                        .init(serviceId: serviceId, instanceId: "a", attributes: large))
                }.contains("5000"))
            #expect(
                await message {
                    _ = try await client.discoverInstances(
                        .init(namespaceName: "mesh.local", serviceName: "agents", maxResults: 1001))
                }.contains("MaxResults"))
            #expect(await message { _ = try await client.listNamespaces(.init(maxResults: 0)) }.contains("MaxResults"))
        }
    }

    @Test func rawWireFormat() async throws {
        let router = buildRegistryRouter(store: InMemoryRegistryStore())
        let app = Application(router: router)
        try await app.test(.router) { client in
            func post(_ target: String, _ body: String, host: String = "data-127.0.0.1:7400") async throws
                -> (HTTPResponse.Status, [String: Any], String?)
            {
                try await client.execute(
                    uri: "/", method: .post,
                    headers: [
                        .contentType: "application/x-amz-json-1.1", HTTPField.Name("X-Amz-Target")!: target,
                        HTTPField.Name("X-Forwarded-Host")!: host,
                    ],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.headers[.contentType] == "application/x-amz-json-1.1")
                    #expect(response.headers[HTTPField.Name("x-amzn-RequestId")!] != nil)
                    let object =
                        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
                    return (response.status, object, object["__type"] as? String)
                }
            }
            let (status, body, type) = try await post(
                "Route53AutoNaming_v20170314.DiscoverInstances", #"{"NamespaceName":"x","ServiceName":"y"}"#)
            #expect(status == .badRequest)
            #expect(type == "NamespaceNotFound")
            #expect((body["Message"] as? String)?.isEmpty == false)
            let missing = try await post("Route53AutoNaming_v20170314.CreateHttpNamespace", "{}")
            #expect(missing.2 == "InvalidInput")
            #expect(missing.1["Message"] as? String == "Name is required.")
            let badEnum = try await post(
                "Route53AutoNaming_v20170314.DiscoverInstances",
                #"{"NamespaceName":"x","ServiceName":"y","HealthStatus":"SOMETIMES"}"#)
            #expect((badEnum.1["Message"] as? String)?.contains("HEALTHY_OR_ELSE_ALL") == true)
            #expect(try await post("Route53AutoNaming_v20170314.Nope", "{}").2 == "UnknownOperationException")
            #expect(try await post("Route53AutoNaming_v20170314.ListNamespaces", "not json").2 == "InvalidInput")
            let created = try await post(
                "Route53AutoNaming_v20170314.CreateHttpNamespace", #"{"Name":"n"}"#, host: "anything")
            #expect(created.0 == .ok)
            #expect((created.1["OperationId"] as? String)?.isEmpty == false)
            let listed = try await post("Route53AutoNaming_v20170314.ListNamespaces", "")
            let namespaces = listed.1["Namespaces"] as? [[String: Any]]
            #expect(namespaces?.first?["CreateDate"] is Double || namespaces?.first?["CreateDate"] is Int)
        }
    }
}
