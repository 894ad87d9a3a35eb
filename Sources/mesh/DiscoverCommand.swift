import ArgumentParser
import Discovery
import Foundation
import Logging
import ServiceLifecycle

/// `mesh discover`: lists the agents a directory finds, filtered by skill, tag or name.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover", abstract: "List the agents found in the registry or at static URLs.")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case registry, `static`
    }

    @Option(help: "Only agents with this skill id.")
    var skill: String?

    @Option(help: "Only agents with a skill carrying this tag.")
    var tag: String?

    @Option(help: "Only the agent with this name.")
    var name: String?

    @Option(help: "Where to look: registry or static.")
    var mode: Mode = .registry

    @Option(help: "The registry endpoint (AWS when 'aws').")
    var registry = "http://127.0.0.1:7400"

    @Option(help: "The registry namespace.")
    var namespace = "mesh.local"

    @Option(help: "The registry service.")
    var service = "agents"

    @Option(name: .customLong("static"), help: "An agent base URL or card URL (repeatable).")
    var staticURLs: [String] = []

    @Flag(help: "Also list agents that did not answer.")
    var all = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Keep polling and print every change (added, updated, removed) until interrupted.")
    var watch = false

    func validate() throws {
        if mode == .static && staticURLs.isEmpty {
            throw ValidationError("--mode static needs at least one --static URL")
        }
    }

    func run() async throws {
        let configuration = DiscoveryConfiguration(
            modes: [mode == .registry ? .registry : .static],
            registry: .init(endpoint: registry == "aws" ? nil : registry, namespace: namespace, service: service),
            staticURLs: staticURLs)
        // Cloud Map filters by skill itself; the directory applies the same filter to the cards.
        let sources = buildDirectorySources(
            configuration, attributes: skill.map { [RegistryAttributes.skillKey($0): "1"] })
        let directory = AgentDirectory()
        for source in sources {
            // The directory only logs a failing source; a one-shot listing should say why it is empty.
            do { _ = try await source.currentAgents() } catch { throw ClientOutput.fail("discover", error) }
            await directory.refresh(from: source)
        }
        let found = directory.agents(AgentQuery(skill: skill, tag: tag, name: name, includeDown: all))
        let rows = found.map(DiscoveredAgent.init)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            print(Self.table(rows))
        }
        if watch { try await watchChanges(directory, sources: sources) }
    }

    /// Refreshes every second and prints each change that matches the query, until SIGINT or SIGTERM.
    func watchChanges(_ directory: AgentDirectory, sources: [any DirectorySource]) async throws {
        let query = AgentQuery(skill: skill, tag: tag, name: name, includeDown: true)
        let changes = directory.changes()
        let logger = Logger(label: "mesh.discover")
        let group = ServiceGroup(
            configuration: .init(
                services: [DirectoryRefresher(directory: directory, sources: sources)],
                gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                for await change in changes {
                    let (kind, record): (String, AgentRecord) =
                        switch change {
                        case .added(let record): ("added", record)
                        case .updated(let record): ("updated", record)
                        case .removed(let record): ("removed", record)
                        }
                    guard query.matches(record) || kind == "removed" else { continue }
                    print(Self.changeLine(kind, DiscoveredAgent(record), json: json))
                }
            }
            try await group.run()
            tasks.cancelAll()
        }
    }

    /// One change as a line: JSON with an `event` field, or `kind name health source skills url`.
    static func changeLine(_ kind: String, _ agent: DiscoveredAgent, json: Bool) -> String {
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
    static func table(_ rows: [DiscoveredAgent]) -> String {
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

/// One agent as `mesh discover --json` prints it.
struct DiscoveredAgent: Codable {
    var name: String
    var url: String
    var skills: [String]
    var health: String
    var source: String
    var lastSeen: String

    init(_ record: AgentRecord) {
        name = record.name
        url = record.cardURL
        skills = record.skillIds
        health = record.health.rawValue
        source = record.source.rawValue
        lastSeen = ISO8601DateFormatter().string(from: record.lastSeen)
    }
}
