import A2A
import A2AServer
import Discovery
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Turns an agent definition into a runnable ``AgentHost``: A2A routes, `/ping`, request ids,
/// the body limit, and its stores: the ones given, else Redis when `redis` is set, else in memory.
/// With `configuration.discovery` set it also advertises itself and keeps a directory of its peers,
/// which `GET /agents` queries.
public func buildAgentHost(
    card: AgentCard, executor: any AgentExecutor, configuration: AgentHostConfiguration,
    extendedCard: AgentCard? = nil, store: (any TaskStore)? = nil, pushConfigs: (any PushConfigStore)? = nil,
    redis: RedisStorage? = nil, extraRoutes: @escaping (Router<BasicRequestContext>) -> Void = { _ in }
) -> AgentHost {
    buildAgentHost(
        card: card, configuration: configuration, extendedCard: extendedCard, store: store, pushConfigs: pushConfigs,
        redis: redis
    ) { _ in AgentHostParts(executor: executor, routes: extraRoutes) }
}

/// What an agent adds to its host once the host's own pieces (its directory, its URL) exist.
public struct AgentHostParts {
    public var executor: any AgentExecutor
    /// Routes beside A2A's.
    public var routes: (Router<BasicRequestContext>) -> Void
    /// Services that run beside the server; they start after the Redis pool and stop before it.
    public var services: [any Service]

    public init(
        executor: any AgentExecutor, routes: @escaping (Router<BasicRequestContext>) -> Void = { _ in },
        services: [any Service] = []
    ) {
        self.executor = executor
        self.routes = routes
        self.services = services
    }
}

/// The host's pieces an agent may build on.
public struct AgentHostEnvironment: Sendable {
    /// The peers the agent sees, when discovery is configured.
    public var directory: AgentDirectory?
    /// The base URL peers reach this agent at (`http://host:port`, or the public URL), once the port is bound.
    public var baseURL: @Sendable () -> String?
}

/// ``buildAgentHost(card:executor:configuration:extendedCard:store:pushConfigs:redis:extraRoutes:)`` for agents
/// whose executor, routes or services need the host's directory or URL: `compose` makes them.
public func buildAgentHost(
    card: AgentCard, configuration: AgentHostConfiguration, extendedCard: AgentCard? = nil,
    store: (any TaskStore)? = nil, pushConfigs: (any PushConfigStore)? = nil, redis: RedisStorage? = nil,
    compose: (AgentHostEnvironment) throws -> AgentHostParts
) rethrows -> AgentHost {
    var logger = Logger(label: "mesh.\(configuration.name)")
    logger.logLevel = configuration.logLevel
    let boundPort = BoundPort()
    let peers = configuration.discovery.map {
        AgentPeers(card: card, configuration: configuration, discovery: $0, boundPort: boundPort, logger: logger)
    }
    let baseHost =
        configuration.advertisedHost
        ?? (configuration.host == "0.0.0.0" || configuration.host == "::" ? "127.0.0.1" : configuration.host)
    let publicURL = configuration.publicURL
    let environment = AgentHostEnvironment(
        directory: peers?.directory,
        baseURL: {
            if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
            return boundPort.current.map { "http://\(baseHost):\($0)" }
        })
    let parts = try compose(environment)
    let executor = parts.executor
    let runner = AgentRunner()
    let pushSender = PushNotificationSender(logger: logger)
    let handler = A2ARequestHandler(
        card: card, extendedCard: extendedCard, executor: executor,
        store: store ?? redis?.tasks ?? InMemoryTaskStore(retention: configuration.retention),
        pushConfigs: pushConfigs ?? redis?.pushConfigs ?? InMemoryPushConfigStore(), pushSender: pushSender,
        runner: runner,
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
    if let peers {
        AgentsRoute(directory: peers.directory).add(to: router)
    } else {
        router.get("/agents") { _, _ in
            AgentsRoute.error(.notFound, "discovery is not configured on this agent, so it knows no peers")
        }
    }
    parts.routes(router)
    return AgentHost(
        configuration: configuration, handler: handler, runner: runner, pushSender: pushSender, router: router,
        services: (redis.map { [$0.pool] } ?? []) + parts.services, peers: peers, boundPort: boundPort, logger: logger)
}
