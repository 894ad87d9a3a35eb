import A2A
import A2AServer
import Discovery
import Foundation
import Hummingbird
import Logging

/// Turns an agent definition into a runnable ``AgentHost``: A2A routes, `/ping`, request ids,
/// the body limit, and its stores: the ones given, else Redis when `redis` is set, else in memory.
/// With `configuration.discovery` set it also advertises itself and keeps a directory of its peers,
/// which `GET /agents` queries.
public func buildAgentHost(
    card: AgentCard, executor: any AgentExecutor, configuration: AgentHostConfiguration,
    extendedCard: AgentCard? = nil, store: (any TaskStore)? = nil, pushConfigs: (any PushConfigStore)? = nil,
    redis: RedisStorage? = nil, extraRoutes: (Router<BasicRequestContext>) -> Void = { _ in }
) -> AgentHost {
    var logger = Logger(label: "mesh.\(configuration.name)")
    logger.logLevel = configuration.logLevel
    let runner = AgentRunner()
    let pushSender = PushNotificationSender(logger: logger)
    let handler = A2ARequestHandler(
        card: card, extendedCard: extendedCard, executor: executor,
        store: store ?? redis?.tasks ?? InMemoryTaskStore(retention: configuration.retention),
        pushConfigs: pushConfigs ?? redis?.pushConfigs ?? InMemoryPushConfigStore(), pushSender: pushSender, runner: runner,
        limits: configuration.limits, logger: logger)
    let fallbackHost =
        configuration.host == "0.0.0.0" || configuration.host == "::"
        ? "127.0.0.1:\(configuration.port)" : "\(configuration.host):\(configuration.port)"
    let publisher = AgentCardPublisher(template: card, publicURL: configuration.publicURL, fallbackHost: fallbackHost)

    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: BodyLimitMiddleware(limit: configuration.limits.maxBodyBytes))
    A2ARoutes(handler: handler, cardPublisher: publisher).add(to: router)
    router.get("/ping") { _, _ in PingResponse(runner: runner) }
    let boundPort = BoundPort()
    let peers = configuration.discovery.map {
        AgentPeers(card: card, configuration: configuration, discovery: $0, boundPort: boundPort, logger: logger)
    }
    if let peers {
        AgentsRoute(directory: peers.directory).add(to: router)
    } else {
        router.get("/agents") { _, _ in
            AgentsRoute.error(.notFound, "discovery is not configured on this agent, so it knows no peers")
        }
    }
    extraRoutes(router)
    return AgentHost(
        configuration: configuration, handler: handler, runner: runner, pushSender: pushSender, router: router,
        services: redis.map { [$0.pool] } ?? [], peers: peers, boundPort: boundPort, logger: logger)
}
