import Discovery
import Foundation
import MeshTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Agent processes that advertise in a real `mesh registry` process, found by `mesh discover` and by each
/// other's `GET /agents`.
@Suite("Registry advertising", .serialized, .timeLimit(.minutes(3)))
struct RegistryAdvertisingTests {
    /// Runs `mesh registry` on a free port with a short heartbeat TTL for `body`.
    func withRegistry(ttl: Double = 2, port: Int? = nil, _ body: (String) async throws -> Void) async throws {
        let port = try port ?? freeLoopbackPort()
        try await ManagedProcess.withLaunched(
            name: "mesh-registry", executable: try TestEnvironment.meshBinary(),
            arguments: ["registry", "--port", "\(port)", "--heartbeat-ttl", "\(ttl)"]
        ) { registry in
            let url = "http://127.0.0.1:\(port)"
            try await registry.waitUntilReady(url: url + "/")
            try await body(url)
        }
    }

    func arguments(_ registry: String, namespace: String) -> [String] {
        ["--discovery", "registry", "--registry-url", registry, "--registry-namespace", namespace,
         "--registry-heartbeat-ttl", "2"]
    }

    @Test func skillQueriesFindExactlyTheAgentsWithTheSkillAndKilledAgentsLeave() async throws {
        let suffix = AdvertisingAgents.uniqueSuffix()
        let namespace = "mesh-\(suffix).local"
        try await withRegistry { registry in
            try await AdvertisingAgents.with(
                [("planner-\(suffix)", ["plan"]), ("retriever1-\(suffix)", ["retrieve:search"]),
                 ("retriever2-\(suffix)", ["retrieve"])],
                discoveryArguments: arguments(registry, namespace: namespace)
            ) { agents in
            let retrievers: Set = ["retriever1-\(suffix)", "retriever2-\(suffix)"]
            let cli = ["--mode", "registry", "--registry", registry, "--namespace", namespace]

            let found = try await eventually(timeout: .seconds(15)) {
                (try? await AdvertisingAgents.discoverNames(cli + ["--skill", "retrieve"])) == retrievers
            }
            #expect(found, "mesh discover --skill retrieve did not list exactly \(retrievers)")
            #expect(try await AdvertisingAgents.discoverNames(cli + ["--skill", "plan"]) == ["planner-\(suffix)"])
            #expect(try await AdvertisingAgents.discoverNames(cli + ["--tag", "search"]) == ["retriever1-\(suffix)"])

            // Every agent answers the same query over HTTP from its own directory.
            let planner = agents[0].base
            let seen = try await eventually(timeout: .seconds(10)) {
                Set(try await AdvertisingAgents.agentsQuery(planner, "skill=retrieve").map(\.name)) == retrievers
            }
            #expect(seen, "the planner's GET /agents?skill=retrieve did not list exactly \(retrievers)")
            let listed = try await AdvertisingAgents.agentsQuery(planner, "skill=retrieve")
            #expect(listed.allSatisfy { $0.source == "registry" && $0.health == "up" }, "\(listed)")

            // SIGTERM deregisters at once; SIGKILL leaves within the 2 s TTL plus a poll, and is routed
            // around sooner because its port refuses connections.
            await agents[1].process.terminate()
            let deregistered = try await eventually(timeout: .seconds(5)) {
                try await AdvertisingAgents.discoverNames(cli + ["--skill", "retrieve"]) == ["retriever2-\(suffix)"]
            }
            #expect(deregistered, "a stopped agent stayed registered")
            let killed = ContinuousClock.now
            kill(agents[2].process.pid, SIGKILL)
            let routedAround = try await eventually(timeout: .seconds(10)) {
                try await AdvertisingAgents.agentsQuery(planner, "skill=retrieve").isEmpty
            }
            #expect(routedAround, "a killed agent was still offered after 10 s")
            let removed = try await eventually(timeout: .seconds(10)) {
                try await AdvertisingAgents.agentsQuery(planner, "skill=retrieve&all=true").isEmpty
            }
            #expect(removed, "a killed agent was still listed (even as down) after its TTL")
            #expect(ContinuousClock.now - killed < .seconds(10))
            }
        }
    }

    @Test func anAgentStartedBeforeTheRegistryRegistersWhenItComes() async throws {
        let suffix = AdvertisingAgents.uniqueSuffix()
        let namespace = "mesh-\(suffix).local"
        let registryPort = try freeLoopbackPort()
        let registry = "http://127.0.0.1:\(registryPort)"
        try await AdvertisingAgents.with(
            [("early-\(suffix)", ["plan"])], discoveryArguments: arguments(registry, namespace: namespace)
        ) { agents in
        // The agent serves while the registry is away, and keeps trying.
        #expect(agents[0].process.isRunning)
        try await Task.sleep(for: .milliseconds(500))
        try await withRegistry(port: registryPort) { registry in
            let cli = ["--mode", "registry", "--registry", registry, "--namespace", namespace]
            let registered = try await eventually(timeout: .seconds(10)) {
                (try? await AdvertisingAgents.discoverNames(cli)) == ["early-\(suffix)"]
            }
            #expect(registered, "the agent never registered; stderr:\n\(agents[0].process.stderrTail())")
        }
        }
    }

    @Test func anAgentRegistersAgainWhenTheRegistryLosesItsState() async throws {
        let suffix = AdvertisingAgents.uniqueSuffix()
        let namespace = "mesh-\(suffix).local"
        let registryPort = try freeLoopbackPort()
        let registry = "http://127.0.0.1:\(registryPort)"
        let cli = ["--mode", "registry", "--registry", registry, "--namespace", namespace]
        try await AdvertisingAgents.with(
            [("survivor-\(suffix)", ["plan"])], discoveryArguments: arguments(registry, namespace: namespace)
        ) { agents in
            try await withRegistry(port: registryPort) { _ in
                let registered = try await eventually(timeout: .seconds(10)) {
                    (try? await AdvertisingAgents.discoverNames(cli)) == ["survivor-\(suffix)"]
                }
                #expect(registered, "the agent never registered; stderr:\n\(agents[0].process.stderrTail())")
            }
            // A new in-memory registry on the same address knows nothing: the agent's next heartbeat finds
            // its registration gone and registers again, creating the namespace and service.
            try await withRegistry(port: registryPort) { _ in
                let again = try await eventually(timeout: .seconds(10)) {
                    (try? await AdvertisingAgents.discoverNames(cli)) == ["survivor-\(suffix)"]
                }
                #expect(again, "the agent did not register again; stderr:\n\(agents[0].process.stderrTail())")
            }
        }
    }

    @Test func badQueriesAndBadModesAreRefusedWithAClearMessage() async throws {
        try await AdvertisingAgents.with(
            [("lonely-\(AdvertisingAgents.uniqueSuffix())", [])], discoveryArguments: []
        ) { agents in
        // Without discovery the agent says it knows no peers.
        let lone = try await rawRequest(agents[0].base + "/agents")
        #expect(lone.status == 404)
        #expect(String(decoding: lone.body, as: UTF8.self).contains("discovery is not configured"))

        let failure = await #expect(throws: ToolFailure.self) {
            try await runTool(try TestEnvironment.meshBinary(), ["conformance", "--port", "0", "--discovery", "bogus"])
        }
        #expect(failure?.standardError.contains("unknown discovery mode 'bogus'") == true, "\(String(describing: failure))")
        }
    }

    @Test func unknownQueryParametersAreA400() async throws {
        let suffix = AdvertisingAgents.uniqueSuffix()
        try await withRegistry { registry in
            try await AdvertisingAgents.with(
                [("asker-\(suffix)", [])], discoveryArguments: arguments(registry, namespace: "mesh-\(suffix).local")
            ) { agents in
            let typo = try await rawRequest(agents[0].base + "/agents?skil=retrieve")
            #expect(typo.status == 400)
            #expect(String(decoding: typo.body, as: UTF8.self).contains("unknown query parameter 'skil'"))
            let badAll = try await rawRequest(agents[0].base + "/agents?all=maybe")
            #expect(badAll.status == 400)
            #expect(String(decoding: badAll.body, as: UTF8.self).contains("'all' must be true or false"))
            }
        }
    }
}
