import A2AServer
import Foundation
import Logging
import MeshTracing
import NIOCore
import ServiceLifecycle

/// POSTs a task's view (``TaskView``) to the webhook its client gave in `POST /task` once the task ends.
///
/// The URL was checked by the SSRF guard when the task came in and is checked again before each attempt; each
/// delivery carries `X-Mesh-Task`, the `X-Mesh-Signature` when a signing secret is set, and the task's
/// `traceparent`, and is retried with exponential backoff and jitter. After the last attempt it goes to the
/// webhook dead-letter stream. Deliveries run in this service, so a slow webhook never holds up a task run.
final class WebhookSender: Service {
    private let poster: WebhookPoster
    let deadLetters: any WebhookDeadLetters
    private let logger: Logger
    private let queue: AsyncStream<(MeshTask, String?)>
    private let intake: AsyncStream<(MeshTask, String?)>.Continuation

    /// - Parameter poster: the host's poster. The master's webhooks are client-supplied URLs, so the mesh's own
    ///   agents get no special trust here and no mesh headers.
    init(poster: WebhookPoster, deadLetters: any WebhookDeadLetters, logger: Logger) {
        var poster = poster
        poster.guardrail.isMeshOrigin = { _, _, _ in false }
        poster.meshHeaders = { [] }
        self.poster = poster
        self.deadLetters = deadLetters
        self.logger = logger
        (queue, intake) = AsyncStream.makeStream()
    }

    /// Refuses a webhook the guard would not deliver to, with the guard's reason.
    func check(_ url: String) async throws(MasterRequestError) {
        do {
            try await poster.guardrail.check(url, acceptingUnresolvable: true)
        } catch {
            throw .invalid("'webhook' \(error.description)")
        }
    }

    /// Queues the delivery of an ended task to its webhook; returns at once.
    func send(_ task: MeshTask) {
        guard task.webhook != nil, task.state.isTerminal else { return }
        intake.yield((task, MeshTrace.traceParent))
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for await (task, traceParent) in queue.cancelOnGracefulShutdown() {
                group.addTask { await self.deliver(task, traceParent: traceParent) }
            }
        }
    }

    private func deliver(_ task: MeshTask, traceParent: String?) async {
        guard let url = task.webhook, let body = try? MasterStore.encode(TaskView(task)) else { return }
        let headers = [(name: "Content-Type", value: "application/json"), (name: "X-Mesh-Task", value: task.id)]
        switch await poster.post(ByteBuffer(data: body), to: url, headers: headers, traceParent: traceParent) {
        case .delivered: break
        case .abandoned(let status, let reason):
            await deadLetters.record(
                WebhookDeadLetter(
                    url: url, taskId: task.id, status: status, reason: reason,
                    body: String(decoding: body, as: UTF8.self)))
        }
    }
}
