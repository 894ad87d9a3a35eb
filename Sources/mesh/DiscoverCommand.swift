import ArgumentParser
import Discovery
import Foundation
import Logging
import MeshRuntime
import ServiceLifecycle

/// `mesh discover`: lists the agents a directory finds, filtered by skill, tag or name.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover", abstract: "List the agents found over mDNS, in the registry or at static URLs.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case mdns, registry, `static`

        var source: AgentSource {
            switch self {
            case .mdns: .mdns
            case .registry: .registry
            case .static: .static
            }
        }
    }

    @Option(help: "Only agents with this skill id.")
    var skill: String?

    @Option(help: "Only agents with a skill carrying this tag.")
    var tag: String?

    @Option(help: "Only the agent with this name.")
    var name: String?

    @Option(
        help: """
            Where to look: mdns, registry or static (repeatable to merge several). Default: the discovery of \
            --config's mesh.yaml when there is one, else the registry.
            """)
    var mode: [Mode] = []

    @Option(help: "The mesh file whose discovery (modes, registry, static URLs) is used when no --mode is given.")
    var config = "mesh.yaml"

    @Option(help: "How long mdns mode browses at most, in seconds; it stops sooner once announcements stop.")
    var wait: Double = 1.5

    @Option(help: "The registry endpoint (AWS when 'aws').")
    var registry = "http://127.0.0.1:7400"

    @Option(help: "The registry namespace.")
    var namespace = "mesh.local"

    @Option(help: "The registry service.")
    var service = "agents"

    @Option(name: .customLong("static"), help: "An agent base URL or card URL (repeatable).")
    var staticURLs: [String] = []

    @Option(
        help: "How long to wait for each agent's card, in seconds; an agent that does not answer in time is left out.")
    var cardTimeout: Double = 2

    @Flag(help: "Also list agents that did not answer.")
    var all = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Keep watching and print every change (added, updated, removed) until interrupted.")
    var watch = false

    func validate() throws {
        if mode.contains(.static) && staticURLs.isEmpty {
            throw ValidationError("--mode static needs at least one --static URL")
        }
        if !(wait > 0 && wait <= 60) { throw ValidationError("--wait must be between 0 and 60 seconds, not \(wait)") }
        if !(cardTimeout > 0 && cardTimeout <= 60) {
            throw ValidationError("--card-timeout must be between 0 and 60 seconds, not \(cardTimeout)")
        }
    }

    func run() async throws {
        let configuration = try discoveryConfiguration()
        // Cloud Map filters by skill itself; the directory applies the same filter to the cards.
        let sources = buildDirectorySources(
            configuration, attributes: skill.map { [RegistryAttributes.skillKey($0): "1"] })
        let directory = AgentDirectory(fetcher: CardFetcher(timeout: .milliseconds(Int64(cardTimeout * 1000))))
        for source in sources {
            // The directory only logs a failing source; a one-shot listing should say why it is empty.
            do { _ = try await source.currentAgents() } catch { throw ClientOutput.fail("discover", error) }
            await directory.refresh(from: source)
        }
        var services: [any Service] = []
        let feed = buildMDNSDirectoryFeed(configuration, directory: directory)
        if let feed { services.append(feed) }
        if watch && !sources.isEmpty { services.append(DirectoryRefresher(directory: directory, sources: sources)) }
        guard let feed else {
            try printListing(directory)
            if watch { try await runWatching(directory, services: services, settleFirst: false) }
            return
        }
        do {
            if watch {
                try await runWatching(directory, services: services, settleFirst: true)
                return
            }
            try await browseOnce(directory, feed: feed)
        } catch {
            throw ClientOutput.fail("discover", error)
        }
        try printListing(directory)
    }

    /// The flags' discovery; without `--mode`, the mesh file's (so `mesh discover` next to mesh.yaml looks where
    /// the mesh's agents advertise), else the registry at `--registry`.
    func discoveryConfiguration() throws -> DiscoveryConfiguration {
        if mode.isEmpty, FileManager.default.fileExists(atPath: config) {
            let mesh: MeshConfiguration
            do {
                mesh = try MeshConfiguration.load(path: config)
            } catch {
                throw ClientOutput.fail("discover", error)
            }
            var discovery = mesh.discovery
            discovery.staticURLs += staticURLs
            return discovery
        }
        return DiscoveryConfiguration(
            modes: mode.isEmpty ? [.registry] : Set(mode.map(\.source)),
            registry: .init(endpoint: registry == "aws" ? nil : registry, namespace: namespace, service: service),
            staticURLs: staticURLs)
    }

    /// Browses until announcements settle (at most `--wait`), stops the feed, then revalidates every card it
    /// listed so the listing shows each agent's health.
    func browseOnce(_ directory: AgentDirectory, feed: MDNSDirectoryFeed) async throws {
        let settling = directory.changes()
        let group = ServiceGroup(
            configuration: .init(services: [feed], gracefulShutdownSignals: [], logger: Logger(label: "mesh.discover")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                await waitUntilSettled(settling, limit: .seconds(wait))
                await group.triggerGracefulShutdown()
            }
            try await group.run()
            tasks.cancelAll()
        }
        // The feed has stopped, so this refresh cannot race one of its own.
        await directory.refresh(from: feed.source)
    }

    /// Runs `services` until SIGINT or SIGTERM and prints each change that matches the query; with
    /// `settleFirst` (mDNS), prints the listing once browsing settled.
    func runWatching(_ directory: AgentDirectory, services: [any Service], settleFirst: Bool) async throws {
        // Without settling the listing is already printed: watch from now. With it, changes seen while
        // settling are in the listing, so the watch starts after it.
        let settling = directory.changes()
        let upfront = settleFirst ? nil : settling
        let logger = Logger(label: "mesh.discover")
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                if settleFirst {
                    await waitUntilSettled(settling, limit: .seconds(wait))
                    guard !Task.isCancelled else { return }
                    try printListing(directory)
                }
                await printChanges(upfront ?? directory.changes())
            }
            try await group.run()
            tasks.cancelAll()
        }
    }

    /// The matching agents as a table or JSON.
    func printListing(_ directory: AgentDirectory) throws {
        let rows = directory.agents(AgentQuery(skill: skill, tag: tag, name: name, includeDown: all))
            .map(AgentSummary.init)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            print(Self.table(rows))
        }
    }

    /// Prints each change that matches the query (and every removal) until cancelled.
    func printChanges(_ changes: AsyncStream<DirectoryChange>) async {
        let query = AgentQuery(skill: skill, tag: tag, name: name, includeDown: true)
        for await change in changes {
            let (kind, record): (String, AgentRecord) =
                switch change {
                case .added(let record): ("added", record)
                case .updated(let record): ("updated", record)
                case .removed(let record): ("removed", record)
                }
            guard query.matches(record) || kind == "removed" else { continue }
            print(Self.changeLine(kind, AgentSummary(record), json: json))
        }
    }

    /// One change as a line: JSON with an `event` field, or `kind name health source skills url`.
    static func changeLine(_ kind: String, _ agent: AgentSummary, json: Bool) -> String {
        guard json else {
            return [kind, agent.name, agent.health, agent.source, agent.skills.joined(separator: ","), agent.url]
                .joined(separator: "  ")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(agent)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return "{\"event\":\"\(kind)\"," + body.dropFirst()
    }

    /// Aligned columns: name, health, source, skills, URL.
    static func table(_ rows: [AgentSummary]) -> String {
        guard !rows.isEmpty else { return "no agents found" }
        let header = ["NAME", "HEALTH", "SOURCE", "SKILLS", "URL"]
        let cells = [header] + rows.map { [$0.name, $0.health, $0.source, $0.skills.joined(separator: ","), $0.url] }
        let widths = (0..<header.count).map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
