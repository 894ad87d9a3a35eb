import A2A
import A2AClient
import A2AServer
import AsyncHTTPClient
import Discovery
import Foundation
import Logging
import MeshRuntime
import Redis

/// A runnable master: the `orchestrate` card, ``MasterExecutor``, the `/task`, `/dispatch`, `/result`,
/// `/dlq`, `/status` and `/invocations` routes, the change notifier and the dispatcher, on one ``AgentHost``.
///
/// The master needs Redis (its tasks and the dispatch stream live there) and discovery (it routes by the
/// skills of the agents it sees).
public func buildMasterHost(
    agent: AgentDefinition, host configuration: AgentHostConfiguration, redis: RedisStorage,
    pipelines: [String: PipelineDefinition], keyPrefix: String, settings: MasterSettings = MasterSettings(),
    httpClient: HTTPClient = A2AClient.defaultHTTPClient
) throws -> (host: AgentHost, service: MasterService) {
    guard configuration.discovery != nil else {
        throw MasterError.badSetting("the master routes by discovery: configure discovery modes in mesh.yaml")
    }
    var logger = Logger(label: "mesh.\(configuration.name)")
    logger.logLevel = configuration.logLevel
    let consumer = "\(configuration.name)-\(UUID().uuidString.prefix(8).lowercased())"
    logger[metadataKey: "consumer"] = "\(consumer)"
    let keys = MasterKeys(prefix: keyPrefix)
    let store = MasterStore(redis: redis.pool, keys: keys)
    let subscriber = try RedisSubscriber(configuration: redis.pool.configuration, logger: logger)

    var service: MasterService?
    let host = try buildAgentHost(card: agent.card(), configuration: configuration, redis: redis) { environment in
        guard let directory = environment.directory else { throw MasterError.badSetting("no directory") }
        let baseURL = environment.baseURL
        let router = AgentRouter(directory: directory) { baseURL().map { $0 + "/.well-known/agent-card.json" } }
        let inbox = PushInbox()
        let caller = StepCaller(
            settings: settings, inbox: inbox, httpClient: httpClient, resultURL: { baseURL().map { $0 + "/result" } },
            logger: logger, peerHeaders: environment.peerHeaders, pushTokens: configuration.security?.tokenIssuer)
        let notifier = TaskNotifier(subscriber: subscriber, channel: keys.changes, logger: logger) { _, _ in }
        let webhooks = WebhookSender(
            poster: environment.webhooks, deadLetters: environment.webhookDeadLetters, logger: logger)
        let services = MasterServices(
            settings: settings, store: store, router: router, caller: caller, notifier: notifier, inbox: inbox,
            cascade: CancelCascade(
                directory: directory, httpClient: httpClient, logger: logger, peerHeaders: environment.peerHeaders),
            webhooks: webhooks, consumer: consumer, logger: logger,
            metrics: environment.metrics)
        let dispatcher = DispatchConsumer(services: services, redis: redis.pool)
        let master = MasterService(services: services, pipelines: pipelines, consumer: dispatcher)
        service = master
        reportMasterMetrics(services: services, dispatcher: dispatcher, pipelines: Array(pipelines.keys))
        let admission = TaskAdmission(keyPrefix: keyPrefix)
        return AgentHostParts(
            executor: MasterExecutor(service: master, admission: admission),
            routes: { router in
                let depth = configuration.limits.maxJSONDepth
                MasterRoutes(service: master, maxJSONDepth: depth, admission: admission).add(to: router)
                DispatchRoute(services: services, httpClient: httpClient, maxJSONDepth: depth).add(to: router)
                InvocationsRoute(service: master, maxJSONDepth: depth, admission: admission).add(to: router)
            },
            // The notifier must listen before the dispatcher saves anything; shutdown runs in reverse.
            services: [subscriber, notifier, webhooks, dispatcher])
    }
    return (host, service!)
}
