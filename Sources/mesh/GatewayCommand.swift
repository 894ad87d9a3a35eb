import ArgumentParser
import Foundation
import MeshAgents
import MeshRuntime

/// `mesh gateway`: the llm-gateway agent (`llm.generate` and `/v1/chat/completions`).
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Run the llm-gateway: one front for every model provider (A2A llm.generate + OpenAI-style API).",
        discussion: """
            Providers come from LLM_PROVIDER (a comma list is a fallback chain; each entry is KIND or KIND:MODEL, \
            KIND one of openai, bedrock, anthropic, gemini, offline; offline when unset). Keys come only from \
            OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY (or their *_FILE forms) and the AWS credential \
            variables with AWS_REGION. Also: OPENAI_BASE_URL, LLM_MODEL, LLM_TIMEOUT_SECONDS, LLM_CACHE_TTL_SECONDS \
            (needs Redis), LLM_MAX_RETRIES, LLM_CONCURRENCY, BEDROCK_ENDPOINT_URL.
            """)

    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 7000

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @Option(help: "Agent name on the card and in logs.")
    var name: String = "llm-gateway"

    @Option(help: "The fallback chain, overriding LLM_PROVIDER: e.g. openai:gpt-4o-mini,bedrock,offline.")
    var provider: String?

    @Option(help: "The URL clients reach this agent at, if not the bind address.")
    var publicURL: String?

    @OptionGroup(title: "Token counters and cache")
    var redis: RedisOptions

    @OptionGroup(title: "Discovery")
    var discovery: AdvertiseOptions

    func run() async throws {
        var environment = ProcessInfo.processInfo.environment
        if let provider { environment["LLM_PROVIDER"] = provider }
        let gatewayConfiguration: GatewayConfiguration
        do {
            gatewayConfiguration = try GatewayConfiguration.fromEnvironment(environment)
        } catch let error as GatewayConfigurationError {
            throw ValidationError(error.description)
        }
        var configuration = AgentHostConfiguration(name: name, host: host, port: port, publicURL: publicURL)
        configuration.applyEnvironment()
        configuration.discovery = try discovery.configuration()
        configuration.registryHeartbeatTTL = .milliseconds(Int64(discovery.heartbeatTTL * 1000))
        if let advertiseHost = discovery.advertiseHost { configuration.advertisedHost = advertiseHost }
        let storage = try await redis.connect(agent: name)
        do {
            let (host, _) = try buildGatewayHost(host: configuration, gateway: gatewayConfiguration, redis: storage)
            try await host.run()
        } catch let error as GatewayConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
