import A2A
import Discovery
import Foundation
import MeshRuntime
import MeshTesting
import Testing

/// The directory over a static source, against two live agent hosts.
@Suite(.quiet) struct StaticDirectoryTests {
    let planner = testCard("planner", skills: [("plan", ["writing"])])
    let retriever = testCard("retriever", skills: [("retrieve", ["search", "knowledge"]), ("evaluate", ["review"])])

    @Test func queriesBySkillTagAndName() async throws {
        try await withHosts([makeHost(planner), makeHost(retriever)]) { ports in
            let directory = AgentDirectory(fetcher: patientFetcher)
            await directory.refresh(from: StaticSource(urls: ports.map { "http://127.0.0.1:\($0)" }))
            #expect(directory.records.count == 2)
            #expect(directory.records.allSatisfy { $0.health == .up && $0.source == .static && $0.card != nil })
            #expect(directory.agents(AgentQuery(skill: "retrieve")).map(\.name) == ["retriever"])
            #expect(directory.agents(AgentQuery(skill: "plan")).map(\.cardURL) == [cardURL(port: ports[0])])
            #expect(directory.agents(AgentQuery(tag: "search")).map(\.name) == ["retriever"])
            #expect(directory.agents(AgentQuery(tag: "writing")).map(\.name) == ["planner"])
            #expect(directory.agents(AgentQuery(name: "planner")).map(\.name) == ["planner"])
            #expect(directory.agents(AgentQuery(skill: "plan", tag: "search")).isEmpty)
            #expect(directory.agents(AgentQuery(skill: "finalize")).isEmpty)
        }
    }

    @Test func revalidatesCardsWithETag() async throws {
        try await withHosts([makeHost(planner)]) { ports in
            let directory = AgentDirectory(fetcher: patientFetcher, revalidateInterval: .zero)
            let source = StaticSource(urls: [cardURL(port: ports[0])])
            await directory.refresh(from: source)
            #expect(directory.records.first?.etag != nil)
            #expect(directory.notModifiedCount == 0)
            await directory.refresh(from: source)
            await directory.refresh(from: source)
            #expect(directory.notModifiedCount == 2)
            #expect(directory.records.first?.card?.name == "planner")
            #expect(directory.records.first?.health == .up)
        }
    }

    @Test func listedPeersAreRevalidatedOnlyOncePerInterval() async throws {
        try await withHosts([makeHost(planner)]) { ports in
            // An interval no refresh here can outlast, however loaded the machine is.
            let directory = AgentDirectory(fetcher: patientFetcher, revalidateInterval: .seconds(600))
            let source = StaticSource(urls: [cardURL(port: ports[0])])
            await directory.refresh(from: source)
            await directory.refresh(from: source)
            await directory.refresh(from: source)
            #expect(directory.notModifiedCount == 0, "a poll within the interval fetched the card again")
            #expect(directory.agents().map(\.name) == ["planner"])
        }
    }

    @Test func stoppedAgentIsMarkedDownAtOnce() async throws {
        let directory = AgentDirectory(fetcher: patientFetcher, revalidateInterval: .zero)
        let changes = directory.changes()
        let port = try await withHosts([makeHost(planner)]) { ports in
            await directory.refresh(from: StaticSource(urls: [cardURL(port: ports[0])]))
            #expect(directory.agents(AgentQuery(skill: "plan")).count == 1)
            return ports[0]
        }
        // The server is gone: the next refresh gets connection refused and routes around it.
        let started = ContinuousClock.now
        await directory.refresh(from: StaticSource(urls: [cardURL(port: port)]))
        #expect(ContinuousClock.now - started < .seconds(5), "a refused connection is not retried")
        #expect(directory.agents(AgentQuery(skill: "plan")).isEmpty)
        #expect(directory.agents(AgentQuery(skill: "plan", includeDown: true)).first?.health == .down)

        // Only read the change stream when the peer was marked down, so a failure cannot hang the run.
        guard directory.agents(AgentQuery(skill: "plan", includeDown: true)).first?.health == .down else { return }
        var seen: [DirectoryChange] = []
        for await change in changes {
            seen.append(change)
            if case .updated(let record) = change, record.health == .down { break }
        }
        guard case .added = seen.first else { Issue.record("expected .added first, got \(seen)"); return }
    }

    @Test func withdrawnStaticEntryIsRemoved() async throws {
        try await withHosts([makeHost(planner), makeHost(retriever)]) { ports in
            let directory = AgentDirectory(fetcher: patientFetcher)
            await directory.refresh(from: StaticSource(urls: ports.map { cardURL(port: $0) }))
            #expect(directory.records.count == 2)
            await directory.refresh(from: StaticSource(urls: [cardURL(port: ports[1])]))
            #expect(directory.records.map(\.name) == ["retriever"])
        }
    }
}

/// `mesh discover` without `--mode` looks where the mesh file says its agents are.
@Suite(.quiet) struct DiscoverDefaultsTests {
    @Test func withoutModeTheMeshFilesDiscoveryIsUsed() async throws {
        let card = testCard("configured-\(UUID().uuidString.prefix(6))", skills: [("plan", [])])
        try await withHosts([makeHost(card)]) { ports in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "discover-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent("agents"), withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try """
            name: solo
            description: Only here to make the mesh file valid.
            port: 6100
            skills:
              - { id: plan, name: Plan, description: Plans., kind: llm, settings: { prompt: "{{input}}" } }
            """.write(to: directory.appendingPathComponent("agents/solo.yaml"), atomically: true, encoding: .utf8)
            try """
            discovery: { modes: [static], static: ["http://127.0.0.1:\(ports[0])"] }
            agents: [solo]
            """.write(to: directory.appendingPathComponent("mesh.yaml"), atomically: true, encoding: .utf8)
            let output = try await runTool(
                try TestEnvironment.meshBinary(),
                // The card comes from this test process, which shares 2 cores with the whole parallel suite.
                [
                    "discover", "--json", "--card-timeout", "20", "--config",
                    directory.appendingPathComponent("mesh.yaml").path,
                ])
            let names = try JSONDecoder().decode([AgentSummary].self, from: Data(output.utf8)).map(\.name)
            #expect(names == [card.name], "\(output)")
        }
    }
}
