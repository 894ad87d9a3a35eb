import A2A
import Discovery
import Foundation
import MeshTesting
import Synchronization
import Testing

/// A peer that stops answering is routed around at once, leaves after `unreachableRemoval` even while its
/// source still lists it, and comes back when it answers again.
@Suite(.quiet) struct UnreachablePeerTests {
    @Test func unreachablePeerLeavesWhileListedAndReturnsWhenItAnswers() async throws {
        let card = String(decoding: try A2AJSON.encode(testCard("planner", skills: [("plan", [])])), as: UTF8.self)
        // The same address answers, fails, then answers again: no port is given up and taken back.
        let answering = Mutex(true)
        try await HTTPTestServer.withServer(respond: { _ in
            answering.withLock { $0 } ? .json(card) : ScriptedResponse(status: 503)
        }) { server in
            // A generous fetch timeout: on a loaded machine a 2 s fetch can time out and count as unreachable.
            let directory = AgentDirectory(
                fetcher: CardFetcher(timeout: .seconds(20)), revalidateInterval: .zero,
                unreachableRemoval: .seconds(2))
            let log = ChangeLog()
            try await log.recording(directory.changes()) {
                let source = StaticSource(urls: [server.baseURL])
                await directory.refresh(from: source)
                #expect(directory.agents().map(\.name) == ["planner"])

                answering.withLock { $0 = false }
                let failing = ContinuousClock.now
                await directory.refresh(from: source)
                #expect(directory.agents().isEmpty, "a peer that failed its fetch was still offered")
                // Listed as down until unreachableRemoval has passed (unless this machine was too slow to look).
                if ContinuousClock.now - failing < .seconds(2) {
                    #expect(directory.agents(AgentQuery(includeDown: true)).map(\.health) == [.down])
                }
                // The clock starts when the failed fetch ended, which is at the latest now.
                try await Task.sleep(until: ContinuousClock.now + .milliseconds(2100))
                await directory.refresh(from: source)
                #expect(directory.records.isEmpty, "a peer unreachable for longer than unreachableRemoval stayed listed")
                await directory.refresh(from: source)
                #expect(directory.records.isEmpty)

                answering.withLock { $0 = true }
                await directory.refresh(from: source)
                #expect(directory.agents().map(\.name) == ["planner"])
            }
            #expect(log.kinds == ["added:unknown", "updated:up", "updated:down", "removed", "added:up"])
        }
    }
}

/// Records a directory's changes while `body` runs.
final class ChangeLog: Sendable {
    private let entries = Mutex<[String]>([])
    var kinds: [String] { entries.withLock { $0 } }

    func recording(_ changes: AsyncStream<DirectoryChange>, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await change in changes {
                    let kind =
                        switch change {
                        case .added(let record): "added:\(record.health)"
                        case .updated(let record): "updated:\(record.health)"
                        case .removed: "removed"
                        }
                    self.entries.withLock { $0.append(kind) }
                }
            }
            defer { group.cancelAll() }
            try await body()
            // Changes are delivered through a stream: let the last one arrive before the group ends.
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
