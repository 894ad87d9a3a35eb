import A2A
import A2AClient
import Foundation
import MeshTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `mesh conformance` as a real process: its card, and graceful shutdown on SIGTERM.
@Suite("mesh conformance process", .serialized, .timeLimit(.minutes(2)))
struct ProcessLifecycleTests {
    /// The host's default `shutdownGracePeriod`, plus room for a slow machine.
    static let exitDeadline: Duration = .seconds(20)

    static func launchConformance(
        streamingTimeout: Double, _ body: (ManagedProcess, String) async throws -> Void
    ) async throws {
        let binary = try TestEnvironment.meshBinary()
        let port = try freeLoopbackPort()
        let base = "http://127.0.0.1:\(port)"
        try await ManagedProcess.withLaunched(
            name: "mesh-conformance", executable: binary, arguments: ["conformance", "--port", "\(port)"],
            environment: ["TCK_STREAMING_TIMEOUT": "\(streamingTimeout)", "LOG_LEVEL": "info"]
        ) { process in
            try await process.waitUntilReady(url: base + "/.well-known/agent-card.json")
            try await body(process, base)
        }
    }

    /// Waits until the process has exited and returns its raw wait status (0: exited with status 0).
    static func waitForExit(_ process: ManagedProcess) async throws -> Int32? {
        let deadline = ContinuousClock.now + exitDeadline
        while ContinuousClock.now < deadline {
            if let status = process.exitCode { return status }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.exitCode
    }

    @Test func servesItsCardWithTheAddressItListensOn() async throws {
        try await Self.launchConformance(streamingTimeout: 1) { process, base in
            let client = try await A2AClient.connect(to: base)
            let card = try #require(client.card)
            #expect(card.name == "A2A Mesh conformance agent")
            #expect(card.capabilities.streaming == true)
            #expect(Set(card.supportedInterfaces.map(\.protocolBinding)) == ["JSONRPC", "HTTP+JSON"])
            #expect(card.supportedInterfaces.allSatisfy { $0.url == base }, "\(card.supportedInterfaces)")
            #expect(Set(card.skills.map(\.id)) == ["tck", "echo"])
            let task = try await client.sendForTask(userMessage("plain-1", text: "over the wire"))
            #expect(task.artifacts?.first?.parts == [.text("over the wire")])
        }
    }

    @Test func sigtermLetsTheRunningTaskFinishThenExitsZeroAndReleasesThePort() async throws {
        // The task runs 2 x 1.5 s, well inside the 10 s grace period.
        try await Self.launchConformance(streamingTimeout: 1.5) { process, base in
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            let client = try await A2AClient.connect(to: base)
            let stream = try await client.sendStreamingMessage(
                SendMessageRequest(message: userMessage(scenarioID("test-resubscribe-message-id"))))
            var events = stream.makeAsyncIterator()
            var seen: [String] = []
            while let event = try await events.next() {
                seen.append(summary(event))
                if case .statusUpdate(let update) = event, update.status.state == .working { break }
            }
            try #require(seen == ["task:TASK_STATE_SUBMITTED", "status:TASK_STATE_WORKING"], "\(seen)")

            #expect(kill(process.pid, SIGTERM) == 0)
            // The server stops taking connections at once, but the running task still finishes and its
            // stream gets the final status.
            while let event = try await events.next() { seen.append(summary(event)) }
            #expect(seen.last == "status:TASK_STATE_COMPLETED", "\(seen)\n\(process.stderrTail())")

            let status = try await Self.waitForExit(process)
            #expect(status == 0, "exit status \(String(describing: status)); stderr:\n\(process.stderrTail())")
            #expect(!process.standardError().contains("task failed"), "\(process.stderrTail())")

            await #expect(throws: A2AClientError.self, "nothing listens on the port after exit") {
                _ = try await A2AClient.connect(to: base)
            }
            #expect(canListen(onLoopbackPort: port), "the port can be bound again")
        }
    }

    @Test func sigtermWhenIdleExitsZero() async throws {
        try await Self.launchConformance(streamingTimeout: 1) { process, base in
            let port = try #require(Int(base.split(separator: ":").last ?? ""))
            _ = try await ping(base)
            #expect(kill(process.pid, SIGTERM) == 0)
            let status = try await Self.waitForExit(process)
            #expect(status == 0, "exit status \(String(describing: status)); stderr:\n\(process.stderrTail())")
            #expect(canListen(onLoopbackPort: port))
        }
    }
}

/// Whether a new listener can take 127.0.0.1:`port` (with SO_REUSEADDR, as servers bind).
func canListen(onLoopbackPort port: Int) -> Bool {
    #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var reuse: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
    return bound && listen(fd, 1) == 0
}
