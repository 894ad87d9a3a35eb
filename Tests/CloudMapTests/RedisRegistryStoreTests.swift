import CloudMap
import Foundation
import MeshTesting
import Testing

/// Two `RedisRegistryStore`s on one real redis-server stand for two registry replicas.
@Suite("Registry state in Redis", .serialized, .timeLimit(.minutes(3)))
struct RedisRegistryStoreTests {
    @Test func replicasAgreeOnEverything() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            try await withRedisRegistryStores(server) { stores in
                let (a, b) = (stores[0], stores[1])
                let (namespaceId, serviceId) = try await makeService(in: a)
                #expect(try await b.getNamespace(.init(id: namespaceId)).namespace?.serviceCount == 1)
                let registered = try await b.registerInstance(
                    .init(
                        serviceId: serviceId, instanceId: "retriever",
                        attributes: agentAttributes("retriever", port: 9102, skills: ["retrieve"])))
                _ = try await b.registerInstance(
                    .init(
                        serviceId: serviceId, instanceId: "planner",
                        attributes: agentAttributes("planner", port: 9101, skills: ["plan"])))
                let operation = try await a.getOperation(.init(operationId: registered.operationId ?? ""))
                #expect(operation.operation?.type == .registerInstance)

                let found = try await a.discoverInstances(
                    .init(namespaceName: "mesh.local", serviceName: "agents", queryParameters: ["skill.retrieve": "1"]))
                #expect(found.instances?.map(\.instanceId) == ["retriever"])
                let revision = try #require(found.instancesRevision)
                let revisionRequest = DiscoverInstancesRevisionRequest(
                    namespaceName: "mesh.local", serviceName: "agents")
                #expect(try await b.discoverInstancesRevision(revisionRequest).instancesRevision == revision)

                _ = try await a.updateInstanceCustomHealthStatus(
                    .init(serviceId: serviceId, instanceId: "planner", status: .unhealthy))
                #expect(
                    try await b.getInstancesHealthStatus(.init(serviceId: serviceId)).status
                        == ["planner": .unhealthy, "retriever": .healthy])
                let healthy = try await b.discoverInstances(
                    .init(namespaceName: "mesh.local", serviceName: "agents", healthStatus: .healthy))
                #expect(healthy.instances?.map(\.instanceId) == ["retriever"])

                _ = try await b.deregisterInstance(.init(serviceId: serviceId, instanceId: "retriever"))
                await expectCloudMapError(.instanceNotFound) {
                    _ = try await a.getInstance(.init(serviceId: serviceId, instanceId: "retriever"))
                }
                let after = try await a.discoverInstancesRevision(revisionRequest).instancesRevision
                #expect(try #require(after) > revision)
                #expect(try await b.discoverInstancesRevision(revisionRequest).instancesRevision == after)
                #expect(try await b.listInstances(.init(serviceId: serviceId)).instances?.map(\.id) == ["planner"])
            }
        }
    }

    @Test func concurrentRegistrationsOnBothReplicasLoseNothing() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            try await withRedisRegistryStores(server) { stores in
                let (_, serviceId) = try await makeService(in: stores[0])
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<40 {
                        let store = stores[index % 2]
                        group.addTask {
                            _ = try await store.registerInstance(
                                .init(serviceId: serviceId, instanceId: "agent-\(index)", attributes: ["n": "\(index)"])
                            )
                        }
                    }
                    try await group.waitForAll()
                }
                for store in stores {
                    let listed = try await store.listInstances(.init(serviceId: serviceId))
                    #expect(Set(listed.instances?.compactMap(\.id) ?? []) == Set((0..<40).map { "agent-\($0)" }))
                }
                // Every registration changed the attributes, so each took a revision of its own.
                let revision = try await stores[1].discoverInstancesRevision(
                    .init(namespaceName: "mesh.local", serviceName: "agents")
                ).instancesRevision
                #expect(revision == 40)
            }
        }
    }

    @Test func aRefusedCallLeavesRedisUntouched() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            try await withRedisRegistryStores(server) { stores in
                let (a, b) = (stores[0], stores[1])
                let (namespaceId, serviceId) = try await makeService(in: a)
                _ = try await a.registerInstance(
                    .init(serviceId: serviceId, instanceId: "x", attributes: [:], creatorRequestId: "once"))
                let before = try await server.registryDump()
                await expectCloudMapError(.serviceNotFound) {
                    _ = try await b.registerInstance(.init(serviceId: "srv-missing", instanceId: "y", attributes: [:]))
                }
                await expectCloudMapError(.duplicateRequest) {
                    _ = try await b.registerInstance(
                        .init(serviceId: serviceId, instanceId: "other", attributes: [:], creatorRequestId: "once"))
                }
                await expectCloudMapError(.resourceInUse) { _ = try await b.deleteNamespace(.init(id: namespaceId)) }
                await expectCloudMapError(.namespaceAlreadyExists) {
                    _ = try await b.createHttpNamespace(.init(name: "mesh.local"))
                }
                await expectCloudMapError(.instanceNotFound) {
                    _ = try await a.deregisterInstance(.init(serviceId: serviceId, instanceId: "nobody"))
                }
                #expect(try await server.registryDump() == before)
            }
        }
    }

    @Test func severalSweepersExpireAHeartbeatOnce() async throws {
        let clock = TestClock()
        try await RedisServer.with(mode: .plain) { server async throws in
            try await withRedisRegistryStores(
                server, count: 3, configuration: .init(heartbeatTTL: .seconds(10)), clock: clock
            ) { stores in
                let (_, serviceId) = try await makeService(in: stores[0])
                _ = try await stores[1].registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: [:]))
                _ = try await stores[2].registerInstance(.init(serviceId: serviceId, instanceId: "b", attributes: [:]))
                clock.advance(by: 9)
                _ = try await stores[0].updateInstanceCustomHealthStatus(
                    .init(serviceId: serviceId, instanceId: "b", status: .healthy))
                clock.advance(by: 2)
                let expired = try await withThrowingTaskGroup(of: Int.self) { group in
                    for store in stores { group.addTask { try await store.sweepExpired() } }
                    return try await group.reduce(0, +)
                }
                #expect(expired == 1, "only one sweeper turns 'a' UNHEALTHY")
                for store in stores {
                    #expect(
                        try await store.getInstancesHealthStatus(.init(serviceId: serviceId)).status
                            == ["a": .unhealthy, "b": .healthy])
                }
                // The sweep is in the state itself: a heartbeat-free read long after still says UNHEALTHY.
                let before = try await server.registryDump()
                #expect(try await stores[1].sweepExpired() == 0)
                #expect(try await server.registryDump() == before, "a sweep that finds nothing writes nothing")
            }
        }
    }

    @Test func stateSurvivesARedisRestart() async throws {
        try await RedisServer.with(mode: .plain, appendOnly: true) { server async throws in
            try await withRedisRegistryStores(server) { stores in
                let (_, serviceId) = try await makeService(in: stores[0])
                let registered = try await stores[0].registerInstance(
                    .init(serviceId: serviceId, instanceId: "a", attributes: ["k": "v"]))
                try await server.restart()
                let listed = try await stores[1].listInstances(.init(serviceId: serviceId))
                #expect(listed.instances?.map(\.id) == ["a"])
                let operation = try await stores[1].getOperation(.init(operationId: registered.operationId ?? ""))
                #expect(operation.operation?.type == .registerInstance)
                _ = try await stores[0].registerInstance(.init(serviceId: serviceId, instanceId: "b", attributes: [:]))
                #expect(
                    try await stores[1].listInstances(.init(serviceId: serviceId)).instances?.map(\.id) == ["a", "b"])
            }
        }
    }

    @Test func aStoreStartsFromWhatRedisHolds() async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            try await withRedisRegistryStores(server, count: 1) { first in
                let (_, serviceId) = try await makeService(in: first[0])
                _ = try await first[0].registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: [:]))
            }
            try await withRedisRegistryStores(server, count: 1) { later in
                let services = try await later[0].listServices(.init())
                #expect(services.services?.map(\.name) == ["agents"])
                #expect(services.services?.first?.instanceCount == 1)
            }
        }
    }
}
