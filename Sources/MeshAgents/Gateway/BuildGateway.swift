import A2A
import A2AServer
import AsyncHTTPClient
import Foundation
import Logging
import MeshRuntime

/// The llm-gateway's card: the skill `llm.generate`, the chain's kinds and models in the description
/// (never a key), and whether it runs offline.
public func gatewayCard(name: String = "llm-gateway", gateway: LLMGateway) -> AgentCard {
    AgentCard(
        name: name,
        description: "One front for every model provider (\(gateway.chainDescription))"
            + (gateway.isOffline ? "; offline: answers are generated without a model" : "")
            + ". Also serves OpenAI-style POST /v1/chat/completions.",
        supportedInterfaces: [],
        provider: AgentProvider(url: "https://github.com/a2a-mesh", organization: "A2A Mesh"),
        version: "1.0.0",
        capabilities: AgentCapabilities(streaming: true, pushNotifications: true, extendedAgentCard: false),
        defaultInputModes: ["text/plain", "application/json"],
        defaultOutputModes: ["text/plain"],
        skills: [
            AgentSkill(
                id: "llm.generate", name: "Generate text",
                description:
                    "Generates text from a prompt (text part) or from {messages, model, temperature, maxTokens} "
                    + "(data part); usage is in the artifact's metadata. Streams over SendStreamingMessage.",
                tags: ["llm", "generate"], examples: ["Summarize the A2A protocol in three sentences."])
        ])
}

/// A runnable llm-gateway: the gateway core, the `llm.generate` skill and `/v1/chat/completions` on one
/// ``AgentHost``, whose `/metrics` includes the token counters. Token counters and the cache use `redis` when it is given.
public func buildGatewayHost(
    host configuration: AgentHostConfiguration, gateway gatewayConfiguration: GatewayConfiguration,
    redis: RedisStorage? = nil, client: HTTPClient = .shared, logger: Logger? = nil
) throws -> (host: AgentHost, gateway: LLMGateway) {
    let logger =
        logger
        ?? {
            var logger = Logger(label: "mesh.\(configuration.name).gateway")
            logger.logLevel = configuration.logLevel
            return logger
        }()
    let keyPrefix = redis?.pool.configuration.keyPrefix ?? "mesh:"
    // One registry for the host's request metrics and the ledger's token counters: one `/metrics`.
    let metrics = MeshMetrics()
    let ledger = UsageLedger(redis: redis?.pool, keyPrefix: keyPrefix, logger: logger, registry: metrics.registry)
    let cache = zip(redis?.pool, gatewayConfiguration.cacheTTL).map { pool, ttl in
        ResponseCache(redis: pool, keyPrefix: keyPrefix, ttl: ttl, logger: logger)
    }
    let gateway = LLMGateway(
        configuration: gatewayConfiguration, providers: try gatewayConfiguration.makeProviders(client: client),
        ledger: ledger, cache: cache, logger: logger)
    let host = buildAgentHost(
        card: gatewayCard(name: configuration.name, gateway: gateway), executor: GenerateSkill(gateway: gateway),
        configuration: configuration, redis: redis, metrics: metrics,
        extraRoutes: { router in ChatCompletionsRoute(gateway: gateway).add(to: router) })
    return (host, gateway)
}

/// Both values, or nil when either is missing.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
