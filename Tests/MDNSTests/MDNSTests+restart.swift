import Foundation
import MDNS
import MeshTesting
import Testing

extension MDNSTests {
    /// Stops and restarts the machine's avahi-daemon, so it only runs when asked (`MESH_MDNS_RESTART_TEST=1`)
    /// and never alongside other test targets that use the daemon.
    @Test(
        "without a daemon the error names scripts/avahi.sh; after a restart the publisher registers again",
        .enabled(if: ProcessInfo.processInfo.environment["MESH_MDNS_RESTART_TEST"] == "1")
    )
    func restart() async throws {
        let root = try TestEnvironment.packageRoot()
        let script = root.appendingPathComponent("scripts/avahi.sh").path
        let name = uniqueName("agent-restart")
        let publisher = MDNSPublisher(name: name, port: 5108, txt: agentTXT(name, skills: "plan"))
        try await withPublishers([publisher]) {
            _ = try await established(publisher)
            try await runTool("avahi-daemon", ["--kill"])
            _ = try await waitFor("disconnect", in: publisher.events) { $0 == .disconnected ? true : nil }

            let error = await #expect(throws: MDNSError.self) {
                try await MDNSBrowser().withEvents { _ in }
            }
            #expect(error?.description.contains("scripts/avahi.sh") == true)

            try await runTool(script, [])
            #expect(try await established(publisher) == name)
            let output = try await runTool("avahi-browse", ["-rtp", "_a2a._tcp"], timeout: .seconds(15))
            #expect(output.contains(";\(name);"))
        }
    }
}
