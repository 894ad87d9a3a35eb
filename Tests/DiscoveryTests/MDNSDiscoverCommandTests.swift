import A2A
import Discovery
import Foundation
import MDNS
import MeshTesting
import Testing

/// `mesh discover --mode mdns` as a real process, against agents published on loopback.
@Suite("mesh discover --mode mdns", .serialized, .quiet, .timeLimit(.minutes(2)))
struct MDNSDiscoverCommandTests {
    /// One entry of `mesh discover --json`.
    struct Listed: Decodable {
        var name: String
        var url: String
        var skills: [String]
        var health: String
        var source: String
    }

    init() throws {
        try requireLoopbackAvahi()
    }

    @Test("--skill X --json prints exactly the agents with skill X")
    func skillQueryPrintsTheMatchingAgents() async throws {
        let mesh = try TestEnvironment.meshBinary()
        // A skill id of this test only: agents that other tests publish meanwhile cannot match it.
        let skill = uniqueName("digest")
        let cards = [
            testCard(uniqueName("cli-first"), skills: [(skill, []), ("plan", [])]),
            testCard(uniqueName("cli-other"), skills: [("plan", [])]),
            testCard(uniqueName("cli-second"), skills: [(skill, [])]),
        ]
        try await withHosts(cards.map(makeHost)) { ports in
            let publishers = zip(cards, ports).map { publisher(for: $0, port: $1) }
            try await withServices(publishers) {
                try await waitUntilEstablished(publishers)
                let output = try await runTool(
                    mesh, ["discover", "--mode", "mdns", "--skill", skill, "--json", "--wait", "5"],
                    timeout: .seconds(30))
                let listed = try JSONDecoder().decode([Listed].self, from: Data(output.utf8))
                #expect(Set(listed.map(\.name)) == [cards[0].name, cards[2].name], "printed: \(output)")
                #expect(listed.count == 2)
                #expect(listed.allSatisfy { $0.source == "mdns" && $0.health == "up" && $0.skills.contains(skill) })
                #expect(Set(listed.map(\.url)) == [cardURL(port: ports[0]), cardURL(port: ports[2])])
            }
        }
    }

    @Test("mdns and static modes merge into one listing")
    func modesMerge() async throws {
        let mesh = try TestEnvironment.meshBinary()
        let skill = uniqueName("merge")
        let announced = testCard(uniqueName("cli-mdns"), skills: [(skill, [])])
        let configured = testCard(uniqueName("cli-static"), skills: [(skill, [])])
        try await withHosts([makeHost(announced), makeHost(configured)]) { ports in
            let published = publisher(for: announced, port: ports[0])
            try await withServices([published]) {
                try await waitUntilEstablished([published])
                let output = try await runTool(
                    mesh,
                    [
                        "discover", "--mode", "mdns", "--mode", "static", "--static", "http://127.0.0.1:\(ports[1])",
                        "--skill", skill, "--json",
                    ], timeout: .seconds(30))
                let listed = try JSONDecoder().decode([Listed].self, from: Data(output.utf8))
                let sources = Dictionary(uniqueKeysWithValues: listed.map { ($0.name, $0.source) })
                #expect(sources == [announced.name: "mdns", configured.name: "static"], "printed: \(output)")
            }
        }
    }
}

/// How an mDNS record becomes a directory entry, and which services a configuration runs; no daemon needed.
@Suite struct MDNSRecordTests {
    func service(
        addresses: [String], txt: [String: String], host: String = "vm.local", port: UInt16 = 5001
    ) -> MDNSService {
        MDNSService(
            name: "worker-a", type: "_a2a._tcp", domain: "local", host: host, port: port, addresses: addresses,
            txt: txt)
    }

    @Test func cardURLPrefersIPv4AndUsesThePath() {
        let agent = MDNSDirectoryFeed.sourcedAgent(
            for: service(addresses: ["fe80::1", "10.0.0.7"], txt: ["path": "/card.json", "v": "1.0", "name": "w"]))
        #expect(agent == SourcedAgent(name: "w", cardURL: "http://10.0.0.7:5001/card.json"))
    }

    @Test func defaultsAndFallbacks() {
        let ipv6 = MDNSDirectoryFeed.sourcedAgent(for: service(addresses: ["::1"], txt: [:]))
        #expect(ipv6 == SourcedAgent(name: "worker-a", cardURL: "http://[::1]:5001/.well-known/agent-card.json"))
        let unresolved = MDNSDirectoryFeed.sourcedAgent(for: service(addresses: [], txt: ["path": "card"]))
        #expect(unresolved?.cardURL == "http://vm.local:5001/card")
    }

    @Test func otherVersionsAreNotRead() {
        #expect(MDNSDirectoryFeed.sourcedAgent(for: service(addresses: ["127.0.0.1"], txt: ["v": "2.0"])) == nil)
        #expect(MDNSDirectoryFeed.sourcedAgent(for: service(addresses: ["127.0.0.1"], txt: ["v": "1.0"])) != nil)
    }

    @Test func configurationPicksTheServices() {
        let directory = AgentDirectory(fetcher: patientFetcher)
        let both = buildDirectoryServices(
            DiscoveryConfiguration(modes: [.mdns, .static], staticURLs: ["http://127.0.0.1:5001"]),
            directory: directory)
        #expect(both.count == 2)
        #expect(both.first is MDNSDirectoryFeed)
        #expect(both.last is DirectoryRefresher)
        #expect(buildMDNSDirectoryFeed(DiscoveryConfiguration(modes: [.registry]), directory: directory) == nil)
        let mdnsOnly = buildDirectoryServices(DiscoveryConfiguration(modes: [.mdns]), directory: directory)
        #expect(mdnsOnly.count == 1 && mdnsOnly.first is MDNSDirectoryFeed)
    }
}
