import ArgumentParser
import Foundation
import Logging
import MeshAgents
import MeshRuntime

/// `mesh agent NAME`: runs one agent of `mesh.yaml` as this process, the way a container or systemd unit would.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run one agent of the mesh (the master, a worker or the llm-gateway) until SIGTERM.",
        discussion: """
            Reads mesh.yaml and agents/NAME.yaml (environment variables override them, flags override both), \
            advertises the agent by the configured discovery modes and keeps shared memory in the configured \
            Redis (in memory when none). A bad file prints the file, field and problem and exits 1.
            """)

    @Argument(help: "The agent's name, as mesh.yaml lists it (e.g. worker-b).")
    var name: String

    @Option(help: "The mesh file; agent files are read from agents/ next to it.")
    var config = "mesh.yaml"

    @Option(help: "Port to listen on, overriding the agent file's (0 picks a free one).")
    var port: Int?

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "The address peers reach this agent at (MESH_ADVERTISE_HOST); default: the bind address.")
    var advertiseHost: String?

    @OptionGroup(title: "Redis (overrides mesh.yaml and REDIS_*)")
    var redis: RedisOptions

    func run() async throws {
        let mesh: MeshConfiguration
        let agent: AgentDefinition
        do {
            mesh = try MeshConfiguration.load(path: config).selecting(agent: name)
            guard let current = mesh.currentAgent else { throw ValidationError("agent \(name) is not in \(config)") }
            agent = current
        } catch {
            fail("\(error)")
        }
        let kinds = Set(agent.skills.map(\.kind))
        var logger = Logger(label: "mesh.\(agent.name)")
        var hostConfiguration = AgentHostConfiguration(name: agent.name, host: host, port: port ?? agent.port)
        hostConfiguration.applyEnvironment()
        logger.logLevel = hostConfiguration.logLevel
        hostConfiguration.discovery = mesh.discovery
        hostConfiguration.limits = mesh.limits
        hostConfiguration.webhooks = mesh.webhooks
        let environment = ProcessInfo.processInfo.environment
        hostConfiguration.advertisedHost =
            advertiseHost ?? environment["MESH_ADVERTISE_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        // The master takes clients' credentials and mesh tokens; every other agent only mesh tokens.
        hostConfiguration.security =
            kinds.contains(.orchestrate)
            ? HostSecurity.master(auth: mesh.auth, meshName: mesh.name, agent: agent.name)
            : HostSecurity.agent(auth: mesh.auth, meshName: mesh.name, agent: agent.name)

        var storage: RedisStorage?
        do {
            // A --redis-url flag wins over mesh.yaml and REDIS_*, which the configuration has already merged.
            let flagged = try redis.url.map { _ in try redis.configuration() } ?? nil
            if let redisConfiguration = flagged ?? mesh.redis {
                storage = try await RedisStorage.connect(
                    configuration: redisConfiguration, agent: agent.name, keyPrefix: mesh.keyPrefix)
            }
        } catch {
            fail("redis: \(error)")
        }
        if storage == nil {
            logger.notice(
                "no Redis configured: shared memory and tasks stay in this process, so other agents cannot read them",
                metadata: ["agent": "\(agent.name)"])
        }

        if kinds.contains(.orchestrate) {
            guard let storage else { fail(MasterError.needsRedis.description) }
            let settings: MasterSettings
            do {
                settings = try MasterSettings.fromEnvironment(environment, file: mesh.dispatch)
            } catch {
                fail("\(error)")
            }
            let masterHost: AgentHost
            do {
                masterHost = try buildMasterHost(
                    agent: agent, host: hostConfiguration, redis: storage, pipelines: mesh.pipelines,
                    keyPrefix: mesh.keyPrefix, settings: settings
                ).host
            } catch {
                fail("\(error)")
            }
            logger.info(
                "starting master",
                metadata: [
                    "port": "\(hostConfiguration.port)",
                    "pipelines": "\(mesh.pipelines.keys.sorted().joined(separator: ", "))",
                    "maxAttempts": "\(settings.maxAttempts)",
                ])
            try await serve(masterHost)
            return
        }
        if kinds.contains(.gateway) {
            let gateway: GatewayConfiguration
            do {
                gateway = try GatewayConfiguration.fromEnvironment(Self.gatewayEnvironment(mesh, environment))
            } catch {
                fail("\(error)")
            }
            let (gatewayHost, _) = try buildGatewayHost(host: hostConfiguration, gateway: gateway, redis: storage)
            try await serve(gatewayHost)
            return
        }
        let (workerHost, executor) = buildWorkerHost(
            agent: agent, host: hostConfiguration, redis: storage, llmGatewayURL: mesh.llmGatewayURL)
        logger.info(
            "starting worker",
            metadata: [
                "skills": "\(executor.servedSkills.map { "\($0.id) (\($0.kind.rawValue))" }.joined(separator: ", "))",
                "port": "\(hostConfiguration.port)", "llmGateway": "\(mesh.llmGatewayURL ?? "by discovery")",
            ])
        try await serve(workerHost)
    }

    /// Runs the agent; a server that cannot listen ends the process with one line that says why.
    private func serve(_ host: AgentHost) async throws {
        do {
            try await host.run()
        } catch let error as AgentHostError {
            fail(error.description)
        }
    }

    /// The environment with `LLM_PROVIDER` taken from `mesh.yaml`'s `llm.providers` when it is not set.
    static func gatewayEnvironment(_ mesh: MeshConfiguration, _ environment: [String: String]) -> [String: String] {
        var environment = environment
        if (environment["LLM_PROVIDER"] ?? "").isEmpty, !mesh.llmProviders.isEmpty {
            environment["LLM_PROVIDER"] = mesh.llmProviders.map { provider in
                provider.model.map { "\(provider.kind.rawValue):\($0)" } ?? provider.kind.rawValue
            }.joined(separator: ",")
        }
        return environment
    }

    /// Prints `message` as one line on stderr and exits 1, before anything has started.
    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("mesh agent: \(message)\n".utf8))
        Foundation.exit(1)
    }
}
