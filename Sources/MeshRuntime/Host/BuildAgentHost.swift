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
    redis: RedisStorage? = nil, metrics: MeshMetrics = MeshMetrics(),
    extraRoutes: @escaping (Router<BasicRequestContext>) -> Void = { _ in }
) -> AgentHost {
    buildAgentHost(
        card: card, configuration: configuration, extendedCard: extendedCard, store: store, pushConfigs: pushConfigs,
        redis: redis, metrics: metrics
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
    /// The host's metrics, which `GET /metrics` renders; agents add their own instruments to it.
    public var metrics: MeshMetrics
    /// Headers for calls to peers: `Authorization: Bearer <mesh token>` when a mesh key is set, else none.
    public var peerHeaders: @Sendable () -> [(name: String, value: String)]
    /// Delivers webhooks as `mesh.yaml`'s `webhooks:` says (guard, signature, retries); push notifications use it.
    public var webhooks = WebhookPoster()
    /// Where webhook deliveries given up on go: `{prefix}webhook-dlq` in Redis, else memory.
    public var webhookDeadLetters: any WebhookDeadLetters = InMemoryWebhookDeadLetters()
}

/// ``buildAgentHost(card:executor:configuration:extendedCard:store:pushConfigs:redis:metrics:extraRoutes:)`` for agents
/// whose executor, routes or services need the host's directory or URL: `compose` makes them.
public func buildAgentHost(
    card: AgentCard, configuration: AgentHostConfiguration, extendedCard: AgentCard? = nil,
    store: (any TaskStore)? = nil, pushConfigs: (any PushConfigStore)? = nil, redis: RedisStorage? = nil,
    metrics: MeshMetrics = MeshMetrics(), compose: (AgentHostEnvironment) throws -> AgentHostParts
) rethrows -> AgentHost {
    // A secured agent's card says how to authenticate.
    let security = configuration.security
    let card = security?.secured(card) ?? card
    let extendedCard = extendedCard.map { security?.secured($0) ?? $0 }
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
    var environment = AgentHostEnvironment(
        directory: peers?.directory,
        baseURL: {
            if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
            return boundPort.current.map { "http://\(baseHost):\($0)" }
        }, metrics: metrics, peerHeaders: { security?.peerHeaders() ?? [] })
    environment.webhooks = configuration.webhooks.poster(
        origins: MeshOrigins(baseURL: environment.baseURL, directory: peers?.directory), logger: logger)
    // A push to a peer (the master's `/result`) carries the mesh token like any other call to a peer.
    environment.webhooks.meshHeaders = environment.peerHeaders
    // A push config whose credentials are a valid mesh token was set by an agent of this mesh: its URL is the
    // mesh's own (the master's `/result`), even where discovery does not list that agent.
    if let verifier = security?.verifier {
        environment.webhooks.guardrail.isTrustedCredential = { await verifier.isMeshToken($0) }
    }
    environment.webhookDeadLetters = redis?.webhookDeadLetters ?? InMemoryWebhookDeadLetters(logger: logger)
    let parts = try compose(environment)
    let executor = parts.executor
    // A task started by a streamed message runs in the runner's group: the caller's identity goes along, so the
    // executor sees who asked (the master counts the task against that caller's rate and quota).
    let runner = AgentRunner(carrying: {
        let principal = RequestPrincipal.current
        return { job in await RequestPrincipal.$current.withValue(principal) { await job() } }
    })
    let pushSender = PushNotificationSender(
        poster: environment.webhooks, deadLetters: environment.webhookDeadLetters, logger: logger)
    let handler = A2ARequestHandler(
        card: card, extendedCard: extendedCard, executor: executor,
        store: store ?? redis?.tasks ?? InMemoryTaskStore(retention: configuration.retention),
        pushConfigs: pushConfigs ?? redis?.pushConfigs ?? InMemoryPushConfigStore(), pushSender: pushSender,
        runner: runner,
        limits: configuration.limits, logger: logger, onTaskSettled: metrics.agentTaskObserver(card: card))
    metrics.reportInflightTasks(agent: configuration.name) { runner.activeCount }
    let fallbackHost =
        configuration.host == "0.0.0.0" || configuration.host == "::"
        ? "127.0.0.1:\(configuration.port)" : "\(configuration.host):\(configuration.port)"
    let publisher = AgentCardPublisher(template: card, publicURL: configuration.publicURL, fallbackHost: fallbackHost)

    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: TraceMiddleware())
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: BodyLimitMiddleware(limit: configuration.limits.maxBodyBytes))
    if let security { router.add(middleware: AuthMiddleware(security: security)) }
    A2ARoutes(handler: handler, cardPublisher: publisher).add(to: router)
    router.get("/ping") { _, _ in PingResponse(runner: runner) }
    MetricsRoute(metrics: metrics).add(to: router)
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
