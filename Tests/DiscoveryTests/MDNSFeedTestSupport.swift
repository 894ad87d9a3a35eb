import A2A
import Discovery
import Foundation
import Logging
import MDNS
import MeshTesting
import ServiceLifecycle

/// A name no other test (or test run) uses, so tests running side by side do not see each other's agents.
func uniqueName(_ stem: String) -> String {
    "\(stem)-\(UUID().uuidString.prefix(8).lowercased())"
}

/// The TXT record a mesh agent publishes.
func agentTXT(_ name: String, skills: [String], version: String = "1.0") -> [(key: String, value: String)] {
    [
        ("path", "/.well-known/agent-card.json"), ("v", version), ("name", name),
        ("skills", skills.joined(separator: ",")),
    ]
}

/// A publisher announcing the agent `card` that listens on `port`, with the card's skills in TXT.
func publisher(for card: AgentCard, port: Int, version: String = "1.0") -> MDNSPublisher {
    MDNSPublisher(
        name: card.name, port: UInt16(port), txt: agentTXT(card.name, skills: card.skills.map(\.id), version: version),
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
}

/// Runs `services` in one group while `body` runs, then shuts them down gracefully and waits for them.
func withServices<Result: Sendable>(
    _ services: [any Service], _ body: () async throws -> Result
) async throws -> Result {
    let group = ServiceGroup(
        configuration: .init(services: services, gracefulShutdownSignals: [], logger: Logger(label: "test")))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        do {
            let result = try await body()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// Waits until every publisher reports its service established, so browsers can see it.
func waitUntilEstablished(_ publishers: [MDNSPublisher]) async throws {
    for publisher in publishers {
        try await withTimeout("registration of \(publisher.name)") {
            for await event in publisher.events {
                if case .established = event { return true }
                if case .failed(let reason) = event { throw FeedTestError("\(publisher.name) failed: \(reason)") }
            }
            return nil
        }
    }
}

/// Runs `body`, or throws when it returns nil or takes longer than `timeout`; it must end when cancelled.
@discardableResult
func withTimeout<Value: Sendable>(
    _ what: String, _ timeout: Duration = .seconds(10), _ body: @escaping @Sendable () async throws -> Value?
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw FeedTestError("no \(what) within \(timeout)")
        }
        return value
    }
}

/// The `up` records whose card URL is one of `urls`, keyed by card URL.
func upRecords(_ directory: AgentDirectory, among urls: Set<String>) -> [String: AgentRecord] {
    Dictionary(
        directory.records.filter { urls.contains($0.cardURL) && $0.health == .up }.map { ($0.cardURL, $0) },
        uniquingKeysWith: { first, _ in first })
}

/// A resolved line of `avahi-browse -rtp`: `=;iface;proto;name;type;domain;host;address;port;"txt"…`.
struct BrowsedService {
    var name: String
    var address: String
    var port: Int
    var txt: [String]

    init?(line: Substring) {
        let fields = line.split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count >= 9, fields[0] == "=", let port = Int(fields[8]) else { return nil }
        name = String(fields[3])
        address = String(fields[7])
        self.port = port
        txt = fields.count > 9 ? fields[9].split(separator: " ").map { String($0).trimmingCharacters(in: ["\""]) } : []
    }
}

/// What `avahi-browse -rtp _a2a._tcp` (the real command) resolves right now.
func avahiBrowse() async throws -> [BrowsedService] {
    let output = try await runTool("avahi-browse", ["-rtp", "_a2a._tcp"], timeout: .seconds(15))
    return output.split(separator: "\n").compactMap(BrowsedService.init(line:))
}

/// Runs `avahi-publish-service` for the duration of `body` and stops it by its pid afterwards, even on failure.
func withShellPublished<Result: Sendable>(
    name: String, port: Int, txt: [String], _ body: () async throws -> Result
) async throws -> Result {
    try await ManagedProcess.withLaunched(
        name: "avahi-publish-service", executable: "avahi-publish-service",
        arguments: [name, "_a2a._tcp", "\(port)"] + txt
    ) { process in
        // It prints "Established under name '…'" once the daemon announced the service.
        let deadline = ContinuousClock.now + .seconds(10)
        while !(process.standardError() + process.standardOutput()).contains("Established"),
            ContinuousClock.now < deadline
        {
            if !process.isRunning { throw FeedTestError("avahi-publish-service exited: \(process.stderrTail())") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await body()
    }
}

/// A discovery test's own failure.
struct FeedTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns how long it took, or nil.
func timeUntil(within timeout: Duration, _ condition: () -> Bool) async -> Duration? {
    let start = ContinuousClock.now
    while ContinuousClock.now - start < timeout {
        if condition() { return ContinuousClock.now - start }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition() ? ContinuousClock.now - start : nil
}
