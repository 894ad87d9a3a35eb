import Foundation
import MeshTesting
import Testing

@testable import CloudMap

/// The registry's state as a value: encoding it loses nothing, and both stores keep the same records.
@Suite("Registry state", .timeLimit(.minutes(2)))
struct RegistryStateTests {
    @Test func encodingKeepsEveryField() async throws {
        let store = InMemoryRegistryStore()
        let (_, serviceId) = try await makeService(in: store)
        _ = try await store.registerInstance(
            .init(
                serviceId: serviceId, instanceId: "a", attributes: agentAttributes("a", port: 1, skills: ["plan"]),
                creatorRequestId: "first"))
        _ = try await store.updateInstanceCustomHealthStatus(
            .init(serviceId: serviceId, instanceId: "a", status: .unhealthy))
        let state = await store.state
        let decoded = try JSONDecoder().decode(RegistryState.self, from: try JSONEncoder().encode(state))
        #expect(decoded == state)
        #expect(decoded.operationCount == 2)
        #expect(decoded.creatorRequests["instance:first"]?.operationSequence == 2)
    }

    /// The same calls on both stores, with a limit small enough to drop records several times.
    @Test func redisKeepsTheOperationRecordsTheInMemoryStoreKeeps() async throws {
        let configuration = RegistryConfiguration(operationRecordLimit: 20)
        let memory = InMemoryRegistryStore(configuration: configuration)
        try await RedisServer.with(mode: .plain) { server async throws in
            try await withRedisRegistryStores(server, configuration: configuration) { stores in
                for store in [memory, stores[0]] as [any RegistryStore] {
                    let (_, serviceId) = try await makeService(in: store)
                    var first: String?
                    var last: String?
                    for index in 0..<45 {
                        let registered = try await store.registerInstance(
                            .init(
                                serviceId: serviceId, instanceId: "a", attributes: [:], creatorRequestId: "hb-\(index)")
                        )
                        first = first ?? registered.operationId
                        last = registered.operationId
                    }
                    await expectCloudMapError(.operationNotFound) {
                        _ = try await store.getOperation(.init(operationId: first ?? ""))
                    }
                    #expect(
                        try await store.getOperation(.init(operationId: last ?? "")).operation?.type
                            == .registerInstance)
                    // The request that started a dropped record is forgotten with it: its id may be used again.
                    _ = try await store.registerInstance(
                        .init(serviceId: serviceId, instanceId: "b", attributes: [:], creatorRequestId: "hb-0"))
                }
                let kept = await memory.operationOrder
                #expect(kept.count == 20 - 1)
                #expect(try await server.redisCLI("LLEN", "mesh:{registry}:operation-order") == "\(kept.count)")
                #expect(try await server.redisCLI("HLEN", "mesh:{registry}:operations") == "\(kept.count)")
                let redisState = try await stores[1].read { $0.state }
                let memoryState = await memory.state
                #expect(redisState.operationCount == memoryState.operationCount)
                #expect(redisState.oldestKeptOperation == memoryState.oldestKeptOperation)
                #expect(redisState.creatorRequests.keys.sorted() == memoryState.creatorRequests.keys.sorted())
            }
        }
    }
}
