import A2A
import CloudMap
import Discovery
import Foundation
import MeshRuntime
import Testing

/// The registry source and advertiser against an in-process embedded registry and live agent hosts.
@Suite(.quiet) struct RegistryDirectoryTests {
    let planner = testCard("planner", skills: [("plan", ["writing"])])
    let retriever = testCard("retriever", skills: [("retrieve", ["search"])])

    func advertiser(_ client: CloudMapClient, _ serviceId: String, _ card: AgentCard, port: Int) -> RegistryAdvertiser {
        RegistryAdvertiser(
            client: client, serviceId: serviceId, instanceId: card.name,
            attributes: RegistryAttributes.make(card: card, host: "127.0.0.1", port: port, cardURL: cardURL(port: port))
        )
    }

    @Test func skillQueryFindsExactlyTheAdvertisedAgent() async throws {
        try await withHosts([makeHost(planner), makeHost(retriever)]) { ports in
            try await withRegistry { client, serviceId in
                let resolved = try await RegistryAdvertiser.resolveServiceId(
                    client: client, namespace: "mesh.local", service: "agents")
                #expect(resolved == serviceId)
                try await withServices([advertiser(client, serviceId, planner, port: ports[0])]) {
                    try await withServices([advertiser(client, serviceId, retriever, port: ports[1])]) {
                        let source = RegistrySource(client: client, namespace: "mesh.local", service: "agents")
                        let listed = try await eventually(within: .seconds(15)) {
                            try await source.discover().count == 2
                        }
                        #expect(listed)
                        let retrievers = try await source.discover(skill: "retrieve").map(\.name)
                        #expect(retrievers == ["retriever"])
                        let planners = try await source.discover(skill: "plan").map(\.cardURL)
                        #expect(planners == [cardURL(port: ports[0])])

                        let directory = AgentDirectory(fetcher: patientFetcher)
                        await directory.refresh(from: source)
                        #expect(directory.agents(AgentQuery(skill: "retrieve")).map(\.name) == ["retriever"])
                        #expect(directory.agents().allSatisfy { $0.source == .registry && $0.health == .up })
                        await directory.refresh(from: source)
                        #expect(source.skippedPolls >= 1)
                    }
                }
            }
        }
    }

    @Test func deregistrationRemovesTheAgent() async throws {
        try await withHosts([makeHost(planner), makeHost(retriever)]) { ports in
            try await withRegistry { client, serviceId in
                let directory = AgentDirectory(fetcher: patientFetcher)
                let source = RegistrySource(client: client, namespace: "mesh.local", service: "agents")
                try await withServices([advertiser(client, serviceId, planner, port: ports[0])]) {
                    try await withServices([advertiser(client, serviceId, retriever, port: ports[1])]) {
                        let listed = try await eventually(within: .seconds(15)) {
                            try await source.discover().count == 2
                        }
                        #expect(listed)
                        await directory.refresh(from: source)
                        #expect(directory.records.count == 2)
                    }
                    // The retriever's advertiser shut down gracefully and deregistered.
                    await directory.refresh(from: source)
                    #expect(directory.records.map(\.name) == ["planner"])
                    let retrievers = try await source.discover(skill: "retrieve")
                    #expect(retrievers.isEmpty)
                }
            }
        }
    }

    @Test func missedHeartbeatRemovesTheAgent() async throws {
        // Long enough that the agent is seen before it expires even when the machine is loaded.
        let ttl = Duration.seconds(3)
        try await withHosts([makeHost(planner)]) { ports in
            try await withRegistry(configuration: .init(heartbeatTTL: ttl, sweepInterval: .milliseconds(200))) {
                client, serviceId in
                // Registered once and never heartbeated, like an agent that was SIGKILLed.
                _ = try await client.registerInstance(
                    .init(
                        serviceId: serviceId, instanceId: "planner",
                        attributes: RegistryAttributes.make(
                            card: planner, host: "127.0.0.1", port: ports[0], cardURL: cardURL(port: ports[0]))))
                let directory = AgentDirectory(fetcher: patientFetcher)
                let source = RegistrySource(client: client, namespace: "mesh.local", service: "agents")
                let refresher = DirectoryRefresher(
                    directory: directory, sources: [source], interval: .milliseconds(250))
                try await withServices([refresher]) {
                    let registered = ContinuousClock.now
                    let appeared = await eventually(within: .seconds(2.5)) { directory.records.count == 1 }
                    #expect(appeared)
                    let removed = await eventually(within: .seconds(10)) { directory.records.isEmpty }
                    #expect(removed)
                    // TTL, plus a poll, plus the full refresh that catches a health change.
                    #expect(ContinuousClock.now - registered < ttl + .seconds(4))
                }
            }
        }
    }

    @Test func heartbeatsKeepTheAgentListed() async throws {
        try await withHosts([makeHost(planner)]) { ports in
            try await withRegistry(configuration: .init(heartbeatTTL: .seconds(1), sweepInterval: .milliseconds(200))) {
                client, serviceId in
                let advertiser = RegistryAdvertiser(
                    client: client, serviceId: serviceId, instanceId: "planner",
                    attributes: RegistryAttributes.make(
                        card: planner, host: "127.0.0.1", port: ports[0], cardURL: cardURL(port: ports[0])),
                    ttl: .seconds(1))
                let source = RegistrySource(client: client, namespace: "mesh.local", service: "agents")
                try await withServices([advertiser]) {
                    try await Task.sleep(for: .milliseconds(2500))
                    let planners = try await source.discover(skill: "plan")
                    #expect(planners.count == 1)
                }
            }
        }
    }
}
