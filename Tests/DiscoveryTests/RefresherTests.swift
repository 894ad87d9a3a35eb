import Discovery
import Foundation
import Testing

/// The refresher service over a source whose entries come and go.
@Suite struct RefresherTests {
    @Test func withdrawnEntryLeavesWithinAPoll() async throws {
        let planner = testCard("planner", skills: [("plan", ["writing"])])
        let retriever = testCard("retriever", skills: [("retrieve", ["search"])])
        try await withHosts([makeHost(planner), makeHost(retriever)]) { ports in
            let source = InMemorySource(
                kind: .mdns,
                agents: [
                    SourcedAgent(name: "planner", cardURL: cardURL(port: ports[0])),
                    SourcedAgent(name: "retriever", cardURL: cardURL(port: ports[1])),
                ])
            let directory = AgentDirectory(fetcher: patientFetcher)
            let changes = directory.changes()
            let refresher = DirectoryRefresher(directory: directory, sources: [source], interval: .milliseconds(100))
            try await withServices([refresher]) {
                let appeared = await eventually(within: .seconds(15)) {
                    directory.agents().filter { $0.health == .up }.count == 2
                }
                #expect(appeared)
                #expect(directory.agents().allSatisfy { $0.source == .mdns })
                source.remove(name: "retriever")
                let removed = await eventually(within: .seconds(15)) { directory.records.map(\.name) == ["planner"] }
                #expect(removed)
            }
            // Only read the change stream when the removal happened, so a failure cannot hang the run.
            guard directory.records.map(\.name) == ["planner"] else { return }
            var added = 0
            for await change in changes {
                if case .added = change { added += 1 }
                if case .removed(let record) = change {
                    #expect(record.name == "retriever")
                    break
                }
            }
            #expect(added == 2)
        }
    }
}

/// Configuration picks the sources.
@Suite struct DiscoveryConfigurationTests {
    @Test func modesPickSources() {
        let both = buildDirectorySources(
            DiscoveryConfiguration(modes: [.registry, .static], staticURLs: ["http://127.0.0.1:5001"]))
        #expect(both.map(\.kind) == [.registry, .static])
        #expect(buildDirectorySources(DiscoveryConfiguration(modes: [.static])).isEmpty)
        let registry = buildDirectorySources(DiscoveryConfiguration(), attributes: ["skill.plan": "1"])
        #expect((registry.first as? RegistrySource)?.attributes == ["skill.plan": "1"])
    }

    @Test func staticSourceUsesTheWellKnownPath() async throws {
        let agents = try await StaticSource(urls: ["http://127.0.0.1:5001", "http://h:1/card.json"]).currentAgents()
        #expect(agents.map(\.cardURL) == ["http://127.0.0.1:5001/.well-known/agent-card.json", "http://h:1/card.json"])
    }
}
