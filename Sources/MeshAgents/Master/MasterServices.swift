import A2A
import A2AClient
import AsyncHTTPClient
import Discovery
import Foundation
import Logging
import MeshRuntime

/// Everything a master's runs, routes and dispatcher share.
final class MasterServices: Sendable {
    let settings: MasterSettings
    let store: MasterStore
    let router: AgentRouter
    let caller: StepCaller
    let notifier: TaskNotifier
    let inbox: PushInbox
    let cascade: CancelCascade
    let webhooks: WebhookSender
    /// This master's consumer name in the dispatch group.
    let consumer: String
    let logger: Logger
    /// The host's metrics: tasks submitted and ended, step latencies, retries.
    let metrics: MeshMetrics
    /// Tasks this master wrote last.
    let recent = RecentTasks()

    init(
        settings: MasterSettings, store: MasterStore, router: AgentRouter, caller: StepCaller, notifier: TaskNotifier,
        inbox: PushInbox, cascade: CancelCascade, webhooks: WebhookSender, consumer: String, logger: Logger,
        metrics: MeshMetrics = MeshMetrics()
    ) {
        self.settings = settings
        self.store = store
        self.router = router
        self.caller = caller
        self.notifier = notifier
        self.inbox = inbox
        self.cascade = cascade
        self.webhooks = webhooks
        self.consumer = consumer
        self.logger = logger
        self.metrics = metrics
    }
}

/// Cancels an agent's task on behalf of a canceled mesh task (best effort: the agent may be gone).
struct CancelCascade: Sendable {
    let directory: AgentDirectory
    let httpClient: HTTPClient
    let logger: Logger
    /// The master's mesh token, when the mesh has a key.
    var peerHeaders: @Sendable () -> [(name: String, value: String)] = { [] }

    func cancel(agentURL: String, taskId: String) async {
        do {
            let client: A2AClient
            let configuration = A2AClientConfiguration(dynamicHeaders: peerHeaders, timeout: .seconds(5))
            if let card = directory.records.first(where: { $0.cardURL == agentURL })?.card {
                client = try A2AClient(card: card, configuration: configuration, httpClient: httpClient)
            } else {
                client = try await A2AClient.connect(to: agentURL, configuration: configuration, httpClient: httpClient)
            }
            let task = try await client.cancelTask(CancelTaskRequest(id: taskId))
            logger.info(
                "canceled the agent's task",
                metadata: ["agent": "\(agentURL)", "child": "\(taskId)", "state": "\(task.status.state.displayName)"])
        } catch {
            logger.info("could not cancel the agent's task", metadata: ["agent": "\(agentURL)", "error": "\(error)"])
        }
    }
}
