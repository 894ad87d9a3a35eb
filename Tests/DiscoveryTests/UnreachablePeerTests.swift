import A2A
import Discovery
import Foundation
import MeshRuntime
import Testing

/// A peer that stops answering is routed around at once, leaves after `unreachableRemoval` even while its
/// source still lists it, and comes back when it answers again.
@Suite struct UnreachablePeerTests {
    let planner = testCard("planner", skills: [("plan", [])])

    func host(port: Int) -> AgentHost {
        buildAgentHost(
            card: planner, executor: CompleteExecutor(),
            configuration: AgentHostConfiguration(name: "planner", port: port, logLevel: .critical))
    }

    @Test func unreachablePeerLeavesWhileListedAndReturnsWhenItAnswers() async throws {
        let directory = AgentDirectory(revalidateInterval: .zero, unreachableRemoval: .milliseconds(300))
        let changes = directory.changes()
        let port = try await withHosts([makeHost(planner)]) { ports in
            await directory.refresh(from: StaticSource(urls: [cardURL(port: ports[0])]))
            return ports[0]
        }
        let source = StaticSource(urls: [cardURL(port: port)])
        await directory.refresh(from: source)
        #expect(directory.agents(AgentQuery(includeDown: true)).map(\.health) == [.down])
        try await Task.sleep(for: .milliseconds(350))
        await directory.refresh(from: source)
        #expect(directory.records.isEmpty, "an agent unreachable for longer than unreachableRemoval stayed listed")
        // Still listed by its source and still refused: it stays out, without repeated announcements.
        await directory.refresh(from: source)
        #expect(directory.records.isEmpty)

        // The same address answers again: the agent is back, as a new entry.
        try await withHosts([host(port: port)]) { _ in
            await directory.refresh(from: source)
            #expect(directory.agents().map(\.name) == ["planner"])
        }

        guard directory.records.count == 1 else { return }  // the stream below would never end
        var kinds: [String] = []
        for await change in changes {
            switch change {
            case .added(let record): kinds.append("added:\(record.health)")
            case .updated(let record): kinds.append("updated:\(record.health)")
            case .removed: kinds.append("removed")
            }
            if kinds.count == 5 { break }
        }
        #expect(kinds == ["added:unknown", "updated:up", "updated:down", "removed", "added:up"])
    }
}
