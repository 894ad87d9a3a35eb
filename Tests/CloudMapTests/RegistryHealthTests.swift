import CloudMap
import Foundation
import Synchronization
import Testing

/// Custom health, `AWS_INIT_HEALTH_STATUS`, the health filters and the heartbeat TTL.
@Suite struct RegistryHealthTests {
    @Test func healthFiltersAndCustomHealth() async throws {
        try await withRegistry { client in
            let (_, serviceId) = try await makeService(client)
            _ = try await client.registerInstance(
                .init(serviceId: serviceId, instanceId: "up", attributes: ["skill.retrieve": "1"]))
            _ = try await client.registerInstance(
                .init(
                    serviceId: serviceId, instanceId: "down",
                    attributes: ["skill.retrieve": "1", "AWS_INIT_HEALTH_STATUS": "UNHEALTHY"]))
            func discover(_ filter: HealthStatusFilter?) async throws -> Set<String> {
                let output = try await client.discoverInstances(
                    .init(namespaceName: "mesh.local", serviceName: "agents", healthStatus: filter))
                return Set(output.instances?.compactMap(\.instanceId) ?? [])
            }
            #expect(try await discover(.healthy) == ["up"])
            #expect(try await discover(.unhealthy) == ["down"])
            #expect(try await discover(.all) == ["up", "down"])
            #expect(try await discover(nil) == ["up", "down"])
            #expect(try await discover(.healthyOrElseAll) == ["up"])
            let status = try await client.getInstancesHealthStatus(.init(serviceId: serviceId))
            #expect(status.status == ["up": .healthy, "down": .unhealthy])

            let revision = try await client.discoverInstancesRevision(
                namespaceName: "mesh.local", serviceName: "agents")
            try await client.updateInstanceCustomHealthStatus(
                serviceId: serviceId, instanceId: "up", status: .unhealthy)
            #expect(try await discover(.healthy) == [])
            #expect(try await discover(.healthyOrElseAll) == ["up", "down"])
            try await client.updateInstanceCustomHealthStatus(
                serviceId: serviceId, instanceId: "down", status: .healthy)
            #expect(try await discover(.healthy) == ["down"])
            // Health changes do not move the revision.
            #expect(
                try await client.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents")
                    == revision)
            await expectCloudMapError(.instanceNotFound) {
                _ = try await client.getInstancesHealthStatus(.init(serviceId: serviceId, instances: ["nope"]))
            }
        }
    }

    @Test func servicesWithoutHealthCheckIgnoreTheFilter() async throws {
        try await withRegistry { client in
            let (_, serviceId) = try await makeService(client, customHealth: false)
            _ = try await client.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: [:]))
            let output = try await client.discoverInstances(
                .init(namespaceName: "mesh.local", serviceName: "agents", healthStatus: .healthy))
            #expect(output.instances?.map(\.healthStatus) == [.unknown])
            await expectCloudMapError(.customHealthNotFound) {
                try await client.updateInstanceCustomHealthStatus(
                    serviceId: serviceId, instanceId: "a", status: .healthy)
            }
        }
    }

    @Test func missedHeartbeatTurnsUnhealthyAndHeartbeatRestores() async throws {
        let configuration = RegistryConfiguration(heartbeatTTL: .seconds(1), sweepInterval: .milliseconds(100))
        try await withRegistry(configuration: configuration) { client in
            let (_, serviceId) = try await makeService(client)
            let began = ContinuousClock.now
            _ = try await client.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: [:]))
            #expect(try await client.getInstancesHealthStatus(.init(serviceId: serviceId)).status == ["a": .healthy])
            // The TTL is 1 s and the sweep runs every 100 ms; under the parallel suite's load the sweep can be late.
            var status = try await client.getInstancesHealthStatus(.init(serviceId: serviceId)).status
            while status == ["a": .healthy], ContinuousClock.now - began < .seconds(10) {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.getInstancesHealthStatus(.init(serviceId: serviceId)).status
            }
            #expect(status == ["a": .unhealthy])
            #expect(ContinuousClock.now - began >= .milliseconds(900), "unhealthy before the 1 s TTL ran out")
            let healthy = try await client.discoverInstances(
                .init(namespaceName: "mesh.local", serviceName: "agents", healthStatus: .healthy))
            #expect(healthy.instances?.isEmpty == true)
            try await client.updateInstanceCustomHealthStatus(serviceId: serviceId, instanceId: "a", status: .healthy)
            #expect(try await client.getInstancesHealthStatus(.init(serviceId: serviceId)).status == ["a": .healthy])
            try await Task.sleep(for: .milliseconds(1500))
            // Re-registering is a heartbeat too.
            _ = try await client.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: [:]))
            #expect(try await client.getInstancesHealthStatus(.init(serviceId: serviceId)).status == ["a": .healthy])
        }
    }

    @Test func sweeperMarksExpiredInstances() async throws {
        let clock = Mutex(Date(timeIntervalSince1970: 1_000_000))
        let store = InMemoryRegistryStore(
            configuration: .init(heartbeatTTL: .seconds(10)), now: { clock.withLock { $0 } })
        let namespaceOp = try await store.createHttpNamespace(.init(name: "ns"))
        let operation = try await store.getOperation(.init(operationId: namespaceOp.operationId ?? ""))
        let namespaceId = try #require(operation.operation?.targets?["NAMESPACE"])
        let service = try await store.createService(
            .init(name: "s", namespaceId: namespaceId, healthCheckCustomConfig: .init()))
        let serviceId = try #require(service.service?.id)
        _ = try await store.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: [:]))
        clock.withLock { $0 += 9 }
        #expect(await store.sweepExpired() == 0)
        clock.withLock { $0 += 2 }
        #expect(await store.sweepExpired() == 1)
        #expect(try await store.getInstancesHealthStatus(.init(serviceId: serviceId)).status == ["a": .unhealthy])
        #expect(await store.sweepExpired() == 0)
    }

    @Test func operationRecordsStayBounded() async throws {
        let store = InMemoryRegistryStore()
        let namespaceOp = try await store.createHttpNamespace(.init(name: "ns"))
        let operation = try await store.getOperation(.init(operationId: namespaceOp.operationId ?? ""))
        let namespaceId = try #require(operation.operation?.targets?["NAMESPACE"])
        let service = try await store.createService(.init(name: "s", namespaceId: namespaceId))
        let serviceId = try #require(service.service?.id)
        var first: String?
        var last: String?
        for index in 0..<10_050 {
            let registered = try await store.registerInstance(
                .init(serviceId: serviceId, instanceId: "a", attributes: [:], creatorRequestId: "heartbeat-\(index)"))
            if first == nil { first = registered.operationId }
            last = registered.operationId
        }
        await expectCloudMapError(.operationNotFound) {
            _ = try await store.getOperation(.init(operationId: first ?? ""))
        }
        #expect(try await store.getOperation(.init(operationId: last ?? "")).operation?.status == .success)
    }
}
