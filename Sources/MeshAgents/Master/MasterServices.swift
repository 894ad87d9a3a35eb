import A2A
import A2AClient
import AsyncHTTPClient
import Discovery
import Foundation
import Logging

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
    /// Tasks this master wrote last.
    let recent = RecentTasks()

    init(
        settings: MasterSettings, store: MasterStore, router: AgentRouter, caller: StepCaller, notifier: TaskNotifier,
        inbox: PushInbox, cascade: CancelCascade, webhooks: WebhookSender, consumer: String, logger: Logger
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
    }
}

/// Cancels an agent's task on behalf of a canceled mesh task (best effort: the agent may be gone).
struct CancelCascade: Sendable {
    let directory: AgentDirectory
    let httpClient: HTTPClient
    let logger: Logger

    func cancel(agentURL: String, taskId: String) async {
        do {
            let client: A2AClient
            if let card = directory.records.first(where: { $0.cardURL == agentURL })?.card {
                client = try A2AClient(
                    card: card, configuration: A2AClientConfiguration(timeout: .seconds(5)), httpClient: httpClient)
            } else {
                client = try await A2AClient.connect(
                    to: agentURL, configuration: A2AClientConfiguration(timeout: .seconds(5)), httpClient: httpClient)
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

/// POSTs a task's summary to its webhook when it ends, with a few retries.
struct WebhookSender: Sendable {
    let httpClient: HTTPClient
    let logger: Logger
    var attempts = 3

    func send(_ task: MeshTask) async {
        guard let url = task.webhook, task.state.isTerminal else { return }
        guard let body = try? MasterStore.encode(TaskView(task)) else { return }
        var delay = Duration.milliseconds(250)
        for attempt in 1...attempts {
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "X-Mesh-Task", value: task.id)
                request.body = .bytes(body)
                let response = try await httpClient.execute(request, timeout: .seconds(10))
                if (200..<300).contains(response.status.code) { return }
                logger.warning(
                    "webhook answered \(response.status.code)", metadata: ["url": "\(url)", "attempt": "\(attempt)"])
            } catch {
                logger.warning(
                    "webhook failed", metadata: ["url": "\(url)", "attempt": "\(attempt)", "error": "\(error)"])
            }
            guard attempt < attempts else { break }
            try? await Task.sleep(for: delay)
            delay *= 2
        }
    }
}
