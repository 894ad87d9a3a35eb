import A2A
import Discovery
import Foundation
import MDNS
import MeshTesting
import Testing

/// The mDNS feed against the real avahi-daemon on loopback, with in-process agents that publish themselves.
@Suite("mDNS directory feed over avahi-daemon on loopback", .serialized, .quiet, .timeLimit(.minutes(2)))
struct MDNSFeedTests {
    init() throws {
        try requireLoopbackAvahi()
    }

    @Test("published agents are seen by the feed, with their cards, and by avahi-browse")
    func severalAgentsAreSeen() async throws {
        let cards = [
            testCard(uniqueName("feed-planner"), skills: [("plan", ["writing"])]),
            testCard(uniqueName("feed-retriever"), skills: [("retrieve", ["search"])]),
            testCard(uniqueName("feed-reviewer"), skills: [("plan", []), ("evaluate", ["review"])]),
        ]
        try await withHosts(cards.map(makeHost)) { ports in
            let urls = Set(ports.map { cardURL(port: $0) })
            let publishers = zip(cards, ports).map { publisher(for: $0, port: $1) }
            let directory = AgentDirectory(fetcher: patientFetcher)
            let feed = MDNSDirectoryFeed(directory: directory)
            try await withServices([feed]) {
                try await withServices(publishers) {
                    try await waitUntilEstablished(publishers)
                    let seen = await timeUntil(within: .seconds(10)) { upRecords(directory, among: urls).count == 3 }
                    let listing = directory.records.map { "\($0.name) \($0.health) \($0.cardURL)" }
                    #expect(seen != nil, "directory: \(listing)")
                    let records = upRecords(directory, among: urls)
                    for (card, port) in zip(cards, ports) {
                        let record = records[cardURL(port: port)]
                        #expect(record?.name == card.name)
                        #expect(record?.source == .mdns)
                        #expect(record?.skillIds == card.skills.map(\.id))
                    }
                    let planners = directory.agents(AgentQuery(skill: "plan")).filter { urls.contains($0.cardURL) }
                    #expect(Set(planners.map(\.name)) == [cards[0].name, cards[2].name])
                    let reviewers = directory.agents(AgentQuery(tag: "review")).filter { urls.contains($0.cardURL) }
                    #expect(reviewers.map(\.name) == [cards[2].name])

                    let names = Set(cards.map(\.name))
                    let browsed = try await avahiBrowse().filter { names.contains($0.name) }
                    #expect(Set(browsed.map(\.name)) == names)
                    for (card, port) in zip(cards, ports) {
                        let service = browsed.first { $0.name == card.name }
                        #expect(service?.port == port)
                        // avahi-browse resolves the host in any family, and Avahi also publishes AAAA over IPv4.
                        #expect(["127.0.0.1", "::1"].contains(service?.address ?? ""), "\(String(describing: service))")
                        #expect(service?.txt.contains("v=1.0") == true)
                        #expect(service?.txt.contains("skills=\(card.skills.map(\.id).joined(separator: ","))") == true)
                    }
                }
            }
        }
    }

    @Test("an agent appears fast and leaves at once when its publisher stops")
    func agentAppearsAndLeaves() async throws {
        let card = testCard(uniqueName("feed-transient"), skills: [("summarize", [])])
        try await withHosts([makeHost(card)]) { ports in
            let url = cardURL(port: ports[0])
            let directory = AgentDirectory(fetcher: patientFetcher)
            try await withServices([MDNSDirectoryFeed(directory: directory)]) {
                // Let the browser connect first: what is measured is the announcement, not the feed's start.
                try await Task.sleep(for: .milliseconds(300))
                let published = publisher(for: card, port: ports[0])
                let started = ContinuousClock.now
                try await withServices([published]) {
                    // avahi-daemon probes the name for about 0.9 s before anyone can see it; what the feed adds
                    // after the announcement is what it controls. On a quiet machine that is about 10 ms; speed is
                    // measured by `mesh bench discovery`, and these bounds only leave room for the other suites.
                    try await waitUntilEstablished([published])
                    let announced = ContinuousClock.now
                    let appeared = await timeUntil(within: .seconds(10)) { !upRecords(directory, among: [url]).isEmpty }
                    let afterAnnouncement = try #require(appeared, "the agent did not appear within 10 s")
                    #expect(afterAnnouncement < .seconds(5), "listed \(afterAnnouncement) after announcing")
                    let total = ContinuousClock.now - started
                    #expect(total < .seconds(10), "listed \(total) after start, announced after \(announced - started)")
                }
                // The agent still answers: only the withdrawn record can make it leave (within 10 s, the bound).
                let left = await timeUntil(within: .seconds(10)) { !directory.records.contains { $0.cardURL == url } }
                #expect(left != nil, "still listed 10 s after the publisher stopped")
            }
        }
    }

    @Test("a record announcing another protocol version is ignored")
    func otherVersionIsIgnored() async throws {
        let current = testCard(uniqueName("feed-v1"), skills: [("plan", [])])
        let future = testCard(uniqueName("feed-v2"), skills: [("plan", [])])
        try await withHosts([makeHost(current), makeHost(future)]) { ports in
            let (currentURL, futureURL) = (cardURL(port: ports[0]), cardURL(port: ports[1]))
            let publishers = [
                publisher(for: current, port: ports[0]), publisher(for: future, port: ports[1], version: "2.0"),
            ]
            let directory = AgentDirectory(fetcher: patientFetcher)
            let feed = MDNSDirectoryFeed(directory: directory)
            try await withServices([feed]) {
                try await withServices(publishers) {
                    try await waitUntilEstablished(publishers)
                    let seen = await timeUntil(within: .seconds(10)) {
                        !upRecords(directory, among: [currentURL]).isEmpty
                    }
                    #expect(seen != nil)
                    // Both records were announced together; give the v=2.0 one a moment more to (not) show up.
                    try await Task.sleep(for: .milliseconds(500))
                    #expect(!directory.records.contains { $0.cardURL == futureURL })
                    #expect(try await !feed.source.currentAgents().contains { $0.cardURL == futureURL })
                    let browsed = try await avahiBrowse().filter { $0.name == future.name }
                    #expect(browsed.first?.txt.contains("v=2.0") == true, "the record itself is on the network")
                }
            }
        }
    }

    @Test("a Python a2a-sdk agent published with avahi-publish-service is discovered with its card")
    func pythonAgentIsDiscovered() async throws {
        let python = try TestEnvironment.python()
        let script = try TestEnvironment.interopFile("reference_agent.py")
        let port = try freeLoopbackPort()
        let url = cardURL(port: port)
        let name = uniqueName("py-agent")
        try await ManagedProcess.withLaunched(
            name: "reference-agent", executable: python, arguments: [script, "--port", "\(port)"],
            environment: ["PYTHONUNBUFFERED": "1"]
        ) { agent in
            try await agent.waitUntilReady(url: url)
            let directory = AgentDirectory(fetcher: patientFetcher)
            try await withServices([MDNSDirectoryFeed(directory: directory)]) {
                try await withShellPublished(
                    name: name, port: port,
                    txt: ["path=/.well-known/agent-card.json", "v=1.0", "name=\(name)", "skills=echo"]
                ) {
                    let seen = await timeUntil(within: .seconds(10)) { !upRecords(directory, among: [url]).isEmpty }
                    #expect(seen != nil, "directory: \(directory.records.map(\.cardURL))")
                    let record = upRecords(directory, among: [url])[url]
                    #expect(record?.source == .mdns)
                    #expect(record?.name == "Reference Agent")
                    #expect(record?.skillIds == ["echo"])
                    #expect(directory.agents(AgentQuery(skill: "echo")).contains { $0.cardURL == url })
                }
                let left = await timeUntil(within: .seconds(10)) { !directory.records.contains { $0.cardURL == url } }
                #expect(left != nil, "still listed after avahi-publish-service stopped")
            }
        }
    }
}
