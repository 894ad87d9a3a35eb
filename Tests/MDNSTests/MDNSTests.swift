import Foundation
import MDNS
import MeshTesting
import Testing

@Suite("mDNS over avahi-daemon on loopback", .serialized, .quiet)
struct MDNSTests {
    init() throws {
        try requireLoopbackAvahi()
    }

    @Test("two published services are browsed with TXT, host and port")
    func publishAndBrowse() async throws {
        let first = uniqueName("agent-a")
        let second = uniqueName("agent-b")
        let publishers = [
            MDNSPublisher(name: first, port: 5101, txt: agentTXT(first, skills: "plan")),
            MDNSPublisher(name: second, port: 5102, txt: agentTXT(second, skills: "retrieve,evaluate")),
        ]
        let found = try await MDNSBrowser().withEvents { events in
            try await withPublishers(publishers) {
                try await collectAdded([first, second], from: events)
            }
        }
        let a = try #require(found[first])
        let b = try #require(found[second])
        #expect(a.port == 5101)
        #expect(b.port == 5102)
        #expect(a.type == "_a2a._tcp")
        #expect(!a.host.isEmpty)
        #expect(a.addresses.contains("127.0.0.1"))
        #expect(a.txt == ["path": "/.well-known/agent-card.json", "v": "1.0", "name": first, "skills": "plan"])
        #expect(b.txt["skills"] == "retrieve,evaluate")
        #expect(b.txt["name"] == second)
    }

    @Test("a withdrawn service is reported removed")
    func withdrawRemoves() async throws {
        let name = uniqueName("agent-w")
        let publisher = MDNSPublisher(name: name, port: 5103, txt: agentTXT(name, skills: "plan"))
        try await MDNSBrowser().withEvents { events in
            try await withPublishers([publisher]) {
                _ = try await collectAdded([name], from: events)
            }
            _ = try await waitFor("removal of \(name)", in: events) { event in
                event == .removed(name) ? true : nil
            }
        }
    }

    @Test("the second service with a taken name is renamed")
    func renameOnCollision() async throws {
        let name = uniqueName("agent-c")
        let original = MDNSPublisher(name: name, port: 5104, txt: agentTXT(name, skills: "plan"))
        let duplicate = MDNSPublisher(name: name, port: 5105, txt: agentTXT(name, skills: "plan"))
        try await MDNSBrowser().withEvents { events in
            try await withPublishers([original]) {
                #expect(try await established(original) == name)
                try await withPublishers([duplicate]) {
                    let renamed = try await established(duplicate)
                    #expect(renamed == "\(name) #2")
                    let found = try await collectAdded([name, renamed], from: events)
                    #expect(found[name]?.port == 5104)
                    #expect(found[renamed]?.port == 5105)
                }
            }
        }
    }

    @Test("a service published with avahi-publish-service is seen")
    func shellPublishedServiceIsSeen() async throws {
        let name = uniqueName("shell-agent")
        try await MDNSBrowser().withEvents { events in
            try await ManagedProcess.withLaunched(
                name: "avahi-publish-service", executable: "avahi-publish-service",
                arguments: [
                    name, "_a2a._tcp", "5106", "path=/.well-known/agent-card.json", "v=1.0", "name=\(name)",
                    "skills=retrieve",
                ]
            ) { _ in
                let found = try await collectAdded([name], from: events)
                #expect(found[name]?.port == 5106)
                #expect(found[name]?.txt["skills"] == "retrieve")
                #expect(found[name]?.txt["path"] == "/.well-known/agent-card.json")
            }
        }
    }

    @Test("a publisher killed with SIGKILL is reported removed within 10 s")
    func killedPublisherIsRemoved() async throws {
        let name = uniqueName("killed-agent")
        try await MDNSBrowser().withEvents { events in
            try await ManagedProcess.withLaunched(
                name: "avahi-publish-service", executable: "avahi-publish-service",
                arguments: [name, "_a2a._tcp", "5109", "v=1.0"]
            ) { process in
                _ = try await collectAdded([name], from: events)
                // avahi-daemon withdraws the records of a client whose D-Bus connection is gone.
                kill(process.pid, SIGKILL)
                _ = try await waitFor("removal of \(name)", in: events, timeout: .seconds(10)) { event in
                    event == .removed(name) ? true : nil
                }
            }
        }
    }

    @Test("avahi-browse sees a published service")
    func avahiBrowseSeesOurs() async throws {
        let name = uniqueName("agent-shell-view")
        let publisher = MDNSPublisher(name: name, port: 5107, txt: agentTXT(name, skills: "finalize"))
        try await withPublishers([publisher]) {
            _ = try await established(publisher)
            let output = try await runTool("avahi-browse", ["-rtp", "_a2a._tcp"], timeout: .seconds(15))
            let resolved = output.split(separator: "\n").filter { $0.hasPrefix("=") && $0.contains(";\(name);") }
            let line = try #require(resolved.first, "avahi-browse printed:\n\(output)")
            #expect(line.contains(";5107;"))
            #expect(line.contains("\"skills=finalize\""))
            #expect(line.contains("\"v=1.0\""))
        }
    }

    @Test("the error for a missing daemon names the command that starts one")
    func missingDaemonMessage() {
        let error = MDNSError.daemonNotRunning(reason: "Daemon not running")
        #expect(error.description.contains("avahi-daemon is not running"))
        #expect(error.description.contains("scripts/avahi.sh"))
    }
}
