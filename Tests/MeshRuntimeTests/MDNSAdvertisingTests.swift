import Discovery
import Foundation
import MeshTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Agent processes that advertise over mDNS through the real avahi-daemon (on `lo` only), found by
/// `avahi-browse`, by `mesh discover --mode mdns` and by each other's `GET /agents`.
@Suite("mDNS advertising", .serialized, .timeLimit(.minutes(3)))
struct MDNSAdvertisingTests {
    /// Service name → TXT record, of the resolved `_a2a._tcp` services `avahi-browse -rtp` prints.
    func avahiBrowse() async throws -> [String: (port: String, txt: String)] {
        let output = try await runTool("avahi-browse", ["-rtpk", "_a2a._tcp"], timeout: .seconds(15))
        var services: [String: (port: String, txt: String)] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("=") {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 10 else { continue }
            services[fields[3]] = (fields[8], fields[9])
        }
        return services
    }

    @Test func everyAgentIsSeenByAvahiBrowseAndSkillQueriesAreExact() async throws {
        try requireLoopbackAvahi()
        let suffix = AdvertisingAgents.uniqueSuffix()
        let retrievers: Set = ["retriever1-\(suffix)", "retriever2-\(suffix)"]
        try await AdvertisingAgents.with(
            [("planner-\(suffix)", ["plan"]), ("retriever1-\(suffix)", ["retrieve:search"]),
             ("retriever2-\(suffix)", ["retrieve"])],
            discoveryArguments: ["--discovery", "mdns"]
        ) { agents in
            let names = Set(agents.map(\.name))
            let browsed = try await eventually(timeout: .seconds(10)) {
                names.isSubset(of: Set(try await avahiBrowse().keys))
            }
            #expect(browsed, "avahi-browse did not list all of \(names)")
            let services = try await avahiBrowse()
            for agent in agents {
                let record = try #require(services[agent.name], "avahi-browse lacks \(agent.name)")
                #expect(agent.base.hasSuffix(":" + record.port))
                #expect(record.txt.contains("\"path=/.well-known/agent-card.json\""), "\(record.txt)")
                #expect(record.txt.contains("\"v=1.0\""), "\(record.txt)")
                #expect(record.txt.contains("\"name=\(agent.name)\""), "\(record.txt)")
            }
            #expect(services["retriever1-\(suffix)"]?.txt.contains("\"skills=tck,echo,retrieve\"") == true)

            let cli = ["--mode", "mdns", "--skill", "retrieve"]
            let found = try await eventually(timeout: .seconds(10)) {
                try await AdvertisingAgents.discoverNames(cli).intersection(names) == retrievers
            }
            #expect(found, "mesh discover --mode mdns --skill retrieve did not list exactly \(retrievers)")

            let planner = agents[0].base
            let seen = try await eventually(timeout: .seconds(10)) {
                Set(try await AdvertisingAgents.agentsQuery(planner, "skill=retrieve").map(\.name)).intersection(names)
                    == retrievers
            }
            #expect(seen, "the planner's GET /agents?skill=retrieve did not list exactly \(retrievers)")

            // SIGKILL: avahi-daemon withdraws the dead client's records, and the directory drops the agent.
            let killed = ContinuousClock.now
            kill(agents[2].process.pid, SIGKILL)
            let removed = try await eventually(timeout: .seconds(10)) {
                !(try await AdvertisingAgents.agentsQuery(planner, "all=true").map(\.name)
                    .contains("retriever2-\(suffix)"))
            }
            #expect(removed, "a SIGKILLed agent was still listed after 10 s")
            #expect(ContinuousClock.now - killed < .seconds(10))
        }
    }
}
