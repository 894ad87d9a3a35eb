import CloudMap
import Foundation
import MeshTesting
import Testing

/// Real `mesh registry` processes that keep their state in one real Redis.
@Suite("Registry replicas on Redis", .serialized, .timeLimit(.minutes(3)))
struct RegistryReplicaProcessTests {
    /// Runs `mesh registry` with `arguments` until it answers, then `body` with a client bound to it.
    static func withRegistryProcess(
        _ arguments: [String], _ body: (CloudMapClient) async throws -> Void
    ) async throws {
        let port = try freeLoopbackPort()
        try await ManagedProcess.withLaunched(
            name: "mesh-registry-redis", executable: try TestEnvironment.meshBinary(),
            arguments: ["registry", "--port", "\(port)"] + arguments
        ) { process in
            let base = "http://127.0.0.1:\(port)"
            do {
                try await process.waitUntilReady(url: base + "/")
            } catch {
                Issue.record("registry did not start: \(process.stderrTail())")
                throw error
            }
            try await body(CloudMapClient(configuration: .init(endpoint: base, region: "us-east-1")))
        }
    }

    /// Two replicas on `server`, with the given heartbeat TTL.
    static func withReplicas(
        _ server: RedisServer, heartbeatTTL: Double = 10, _ body: (CloudMapClient, CloudMapClient) async throws -> Void
    ) async throws {
        var arguments = ["--redis-url", server.url, "--heartbeat-ttl", "\(heartbeatTTL)"]
        if server.usesTLS { arguments += ["--redis-ca", server.caFile] }
        try await withRegistryProcess(arguments) { a in
            try await withRegistryProcess(arguments) { b in try await body(a, b) }
        }
    }

    @Test func twoReplicasServeOneRegistry() async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            try await Self.withReplicas(server) { a, b in
                let (namespaceId, serviceId) = try await makeService(a)
                #expect(try await b.getNamespace(id: namespaceId).serviceCount == 1)
                _ = try await b.registerInstance(
                    .init(
                        serviceId: serviceId, instanceId: "retriever",
                        attributes: agentAttributes("retriever", port: 9102, skills: ["retrieve"])))
                _ = try await b.registerInstance(
                    .init(
                        serviceId: serviceId, instanceId: "planner",
                        attributes: agentAttributes("planner", port: 9101, skills: ["plan"])))
                let found = try await a.discoverInstances(
                    .init(namespaceName: "mesh.local", serviceName: "agents", queryParameters: ["skill.retrieve": "1"]))
                #expect(found.instances?.map(\.instanceId) == ["retriever"])
                let revision = try #require(found.instancesRevision)
                #expect(
                    try await b.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents")
                        == revision)

                try await a.updateInstanceCustomHealthStatus(
                    serviceId: serviceId, instanceId: "planner", status: .unhealthy)
                #expect(
                    try await b.getInstancesHealthStatus(.init(serviceId: serviceId)).status
                        == ["planner": .unhealthy, "retriever": .healthy])

                let deregistered = try await b.deregisterInstance(serviceId: serviceId, instanceId: "retriever")
                #expect(try await a.getOperation(id: deregistered.operationId ?? "").type == .deregisterInstance)
                let all = try await a.discoverInstances(.init(namespaceName: "mesh.local", serviceName: "agents"))
                #expect(all.instances?.map(\.instanceId) == ["planner"])
                let after = try await a.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents")
                #expect(after > revision)
                #expect(
                    try await b.discoverInstancesRevision(namespaceName: "mesh.local", serviceName: "agents") == after)
            }
        }
    }

    @Test func aMissedHeartbeatTurnsUnhealthyOnEveryReplica() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            try await Self.withReplicas(server, heartbeatTTL: 1) { a, b in
                let (_, serviceId) = try await makeService(a)
                _ = try await b.registerInstance(.init(serviceId: serviceId, instanceId: "a", attributes: [:]))
                #expect(try await a.getInstancesHealthStatus(.init(serviceId: serviceId)).status == ["a": .healthy])
                // Both replicas sweep every half second; the sweep lands in Redis, where the state says so.
                let deadline = ContinuousClock.now + .seconds(10)
                var stored = ""
                while !stored.contains("UNHEALTHY"), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                    stored = try await server.redisCLI("GET", "mesh:{registry}:state")
                }
                #expect(stored.contains("\"customHealth\":\"UNHEALTHY\""))
                for client in [a, b] {
                    #expect(
                        try await client.getInstancesHealthStatus(.init(serviceId: serviceId)).status == [
                            "a": .unhealthy
                        ])
                }
                // A heartbeat on one replica brings it back on the other.
                try await b.updateInstanceCustomHealthStatus(serviceId: serviceId, instanceId: "a", status: .healthy)
                #expect(try await a.getInstancesHealthStatus(.init(serviceId: serviceId)).status == ["a": .healthy])
            }
        }
    }

    @Test func refusedCallsChangeNothingInRedis() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            try await Self.withReplicas(server) { a, b in
                let (_, serviceId) = try await makeService(a)
                _ = try await a.registerInstance(.init(serviceId: serviceId, instanceId: "x", attributes: [:]))
                let before = try await server.registryDump()
                await expectCloudMapError(.invalidInput) {
                    _ = try await b.registerInstance(
                        .init(serviceId: serviceId, instanceId: "bad id!", attributes: [:]))
                }
                await expectCloudMapError(.serviceNotFound) {
                    _ = try await b.registerInstance(.init(serviceId: "srv-missing", instanceId: "y", attributes: [:]))
                }
                await expectCloudMapError(.resourceInUse) { try await b.deleteService(id: serviceId) }
                #expect(try await server.registryDump() == before)
            }
        }
    }

    @Test func replicasRideOutARedisRestart() async throws {
        try await RedisServer.with(mode: .plain, appendOnly: true) { server async throws in
            try await Self.withReplicas(server) { a, b in
                let (_, serviceId) = try await makeService(a)
                _ = try await a.registerInstance(.init(serviceId: serviceId, instanceId: "before", attributes: [:]))
                try await server.restart()
                // The replicas reconnect on their own; the first calls may fail while they do.
                var registered = false
                let deadline = ContinuousClock.now + .seconds(15)
                while !registered, ContinuousClock.now < deadline {
                    registered =
                        (try? await b.registerInstance(
                            .init(serviceId: serviceId, instanceId: "after", attributes: [:]))) != nil
                    if !registered { try await Task.sleep(for: .milliseconds(200)) }
                }
                #expect(registered)
                let listed = try await a.listInstances(.init(serviceId: serviceId))
                #expect(listed.instances?.map(\.id) == ["before", "after"])
            }
        }
    }

    @Test func aWrongPasswordStopsTheRegistryWithOneLine() async throws {
        try await RedisServer.with(mode: .plain) { server async throws in
            let url = "redis://\(server.username):not-the-password@127.0.0.1:\(server.port)"
            let process = try ManagedProcess.launch(
                name: "mesh-registry-bad-redis", executable: try TestEnvironment.meshBinary(),
                arguments: ["registry", "--port", "\(try freeLoopbackPort())", "--redis-url", url])
            let deadline = ContinuousClock.now + .seconds(20)
            while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            defer { process.removeLogs() }
            if process.isRunning { await process.terminate() }
            let code = process.exitCode.map { ($0 >> 8) & 0xFF }
            let stderr = process.standardError().trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(code == 1)
            #expect(stderr.split(separator: "\n").count == 1, "one line: \(stderr)")
            #expect(stderr.contains("'\(server.username)'") && stderr.contains(server.address), "\(stderr)")
            #expect(stderr.contains("WRONGPASS"), "\(stderr)")
            #expect(!stderr.contains("not-the-password"), "the password is never printed")
        }
    }
}
