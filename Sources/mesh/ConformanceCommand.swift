import A2A
import ArgumentParser
import Foundation
import MeshAgents
import MeshRuntime

/// `mesh conformance`: the agent the official A2A conformance kit is run against.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Run the A2A 1.0 conformance agent (TCK scenarios by messageId prefix, echo otherwise).")

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 9999

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "The URL clients reach this agent at, if not the bind address.")
    var publicURL: String?

    @Option(help: "Seconds that running tasks get to finish after SIGTERM before they are cancelled.")
    var shutdownGrace: Double?

    @Option(help: "Agent name: replicas with the same name share their tasks in Redis.")
    var name: String = "conformance"

    @Option(
        name: .customLong("skill"),
        help: "Also list this skill on the card, answered by echo: ID or ID:TAG,TAG (repeatable; for discovery demos).")
    var extraSkills: [String] = []

    @OptionGroup(title: "Task store")
    var redis: RedisOptions

    @OptionGroup(title: "Discovery")
    var discovery: AdvertiseOptions

    func run() async throws {
        var configuration = AgentHostConfiguration(name: name, host: host, port: port, publicURL: publicURL)
        configuration.applyEnvironment()
        // MESH_WEBHOOK_SECRET and MESH_WEBHOOK_ALLOW_PRIVATE=1 (a test kit's webhook on loopback).
        configuration.webhooks = try WebhookSettings().applying(environment: ProcessInfo.processInfo.environment)
        if let shutdownGrace {
            guard shutdownGrace >= 0 else {
                throw ValidationError("--shutdown-grace must be 0 or more, got \(shutdownGrace)")
            }
            configuration.shutdownGracePeriod = .milliseconds(Int64(shutdownGrace * 1000))
        }
        configuration.discovery = try discovery.configuration()
        configuration.registryHeartbeatTTL = .milliseconds(Int64(discovery.heartbeatTTL * 1000))
        if let advertiseHost = discovery.advertiseHost { configuration.advertisedHost = advertiseHost }
        let storage = try await redis.connect(agent: name)
        // A renamed agent shows its own name on its card, so several of them can be told apart in discovery.
        let card = ConformanceAgent.card(
            name: name == "conformance" ? ConformanceAgent.card.name : name,
            extraSkills: try extraSkills.map(Self.skill(from:)))
        let host = buildAgentHost(
            card: card,
            executor: ConformanceAgent(environment: ProcessInfo.processInfo.environment),
            configuration: configuration, redis: storage)
        try await host.run()
    }

    /// `ID` or `ID:TAG,TAG` as a skill answered by echo.
    static func skill(from text: String) throws -> AgentSkill {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let id = parts.first ?? ""
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ValidationError("--skill '\(text)': the id must be letters, digits, '-', '_' or '.'")
        }
        let tags = parts.count > 1 ? parts[1].split(separator: ",").map(String.init) : []
        return AgentSkill(id: id, name: id, description: "Echoes the message (declared with --skill).", tags: tags)
    }
}
