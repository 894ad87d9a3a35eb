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

    @OptionGroup(title: "Task store")
    var redis: RedisOptions

    func run() async throws {
        var configuration = AgentHostConfiguration(name: name, host: host, port: port, publicURL: publicURL)
        configuration.applyEnvironment()
        if let shutdownGrace {
            guard shutdownGrace >= 0 else { throw ValidationError("--shutdown-grace must be 0 or more, got \(shutdownGrace)") }
            configuration.shutdownGracePeriod = .milliseconds(Int64(shutdownGrace * 1000))
        }
        let storage = try await redis.connect(agent: name)
        let host = buildAgentHost(
            card: ConformanceAgent.card,
            executor: ConformanceAgent(environment: ProcessInfo.processInfo.environment),
            configuration: configuration, redis: storage)
        try await host.run()
    }
}
