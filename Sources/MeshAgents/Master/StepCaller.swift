import A2A
import A2AClient
import AsyncHTTPClient
import Discovery
import Foundation
import Logging
import MeshRuntime
import Synchronization

/// Sends one step to one agent and waits for its outcome.
///
/// Agents that stream get `SendStreamingMessage`: one connection, the child task id in the first event, and
/// the outcome at its end. Others (and every agent with ``MasterSettings/Delivery/push``) get a non-blocking
/// `SendMessage` with a push config pointing at the master's `/result`; a push wakes the wait, and
/// `GetTask` every ``MasterSettings/pollInterval`` covers a push that never comes. A stream that breaks
/// off is finished by `GetTask` too. The whole attempt is bounded by ``MasterSettings/stepTimeout``.
final class StepCaller: Sendable {
    let settings: MasterSettings
    let inbox: PushInbox
    let httpClient: HTTPClient
    /// The master's `/result` URL, once its port is known.
    let resultURL: @Sendable () -> String?
    let logger: Logger
    /// Headers for every call to an agent: the master's mesh token when the mesh has a key.
    let peerHeaders: @Sendable () -> [(name: String, value: String)]
    /// Signs the token that agents push results to `/result` with; nil without a mesh key.
    let pushTokens: MeshTokenIssuer?

    init(
        settings: MasterSettings, inbox: PushInbox, httpClient: HTTPClient,
        resultURL: @escaping @Sendable () -> String?, logger: Logger,
        peerHeaders: @escaping @Sendable () -> [(name: String, value: String)] = { [] },
        pushTokens: MeshTokenIssuer? = nil
    ) {
        self.settings = settings
        self.inbox = inbox
        self.httpClient = httpClient
        self.resultURL = resultURL
        self.logger = logger
        self.peerHeaders = peerHeaders
        self.pushTokens = pushTokens
    }

    /// The client configuration of calls to agents.
    var clientConfiguration: A2AClientConfiguration {
        A2AClientConfiguration(dynamicHeaders: peerHeaders, timeout: settings.stepTimeout)
    }

    /// The push config's `Authorization`: a mesh token of its own for this step, valid until the step times
    /// out (plus a minute for the last push), so a slow step's push is still accepted.
    var pushAuthentication: AuthenticationInfo? {
        pushTokens.map { issuer in
            AuthenticationInfo(
                scheme: "Bearer", credentials: issuer.mint(lifetime: Double(settings.stepTimeout.seconds) + 60))
        }
    }

    /// Runs `call` on `agent`; `started` is told the agent's task id as soon as it is known (and may throw to
    /// abandon the step, e.g. when the task was canceled meanwhile).
    func run(
        _ call: StepCall, on agent: AgentRecord, started: @escaping @Sendable (String) async throws -> Void
    ) async throws -> StepOutcome {
        guard let card = agent.card else {
            return .failed(reason: "\(agent.name) has no agent card", agentDown: true)
        }
        let client: A2AClient
        do {
            client = try A2AClient(
                card: card, configuration: clientConfiguration, httpClient: httpClient, logger: logger)
        } catch {
            return .failed(reason: "\(agent.name): \(error)", agentDown: true)
        }
        let childID = ChildTaskID()
        let deadline = ContinuousClock.now + settings.stepTimeout
        let outcome = try await withDeadline(deadline) {
            let streams = card.capabilities.streaming == true && self.settings.delivery == .auto
            if streams {
                return try await self.stream(call, agent: agent, client: client, childID: childID, started: started)
            }
            return try await self.push(call, agent: agent, client: client, childID: childID, started: started)
        }
        if let outcome { return outcome }
        if let id = childID.value {
            _ = try? await client.cancelTask(CancelTaskRequest(id: id))
        }
        return .failed(
            reason: "\(agent.name) did not finish \(call.skill) within \(settings.stepTimeout.seconds) s",
            agentDown: false)
    }

    func message(for call: StepCall) -> Message {
        Message(
            messageId: Identifier.make(), contextId: call.contextId, role: .user,
            parts: [.text(call.input)],
            metadata: [
                "skill": .string(call.skill), "meshTask": .string(call.taskId), "round": .number(Double(call.round)),
            ])
    }

    private func stream(
        _ call: StepCall, agent: AgentRecord, client: A2AClient, childID: ChildTaskID,
        started: @escaping @Sendable (String) async throws -> Void
    ) async throws -> StepOutcome {
        var collector = ArtifactCollector()
        do {
            let events = try await client.sendStreamingMessage(SendMessageRequest(message: message(for: call)))
            for try await event in events {
                switch event {
                case .task(let task):
                    try await childID.set(task.id, started)
                    collector.take(task)
                    if let outcome = task.outcome(agent: agent.name) { return outcome }
                case .statusUpdate(let update):
                    try await childID.set(update.taskId, started)
                    if let outcome = A2ATask.outcome(
                        status: update.status, artifacts: collector.artifacts, agent: agent.name)
                    {
                        return outcome
                    }
                case .artifactUpdate(let update):
                    try await childID.set(update.taskId, started)
                    collector.take(update)
                case .message(let reply):
                    return .completed(artifacts: [
                        Artifact(artifactId: reply.messageId, name: "answer", parts: reply.parts)
                    ])
                }
            }
        } catch let error as A2AClientError {
            if childID.value == nil { return Self.failure(error, agent: agent) }
            logger.info(
                "stream broke off; asking the agent", metadata: ["agent": "\(agent.name)", "error": "\(error)"])
        }
        guard let id = childID.value else {
            return .failed(reason: "\(agent.name) closed the stream without a task", agentDown: false)
        }
        return try await poll(id, agent: agent, client: client, wake: nil)
    }

    private func push(
        _ call: StepCall, agent: AgentRecord, client: A2AClient, childID: ChildTaskID,
        started: @escaping @Sendable (String) async throws -> Void
    ) async throws -> StepOutcome {
        guard let url = resultURL() else {
            return .failed(reason: "the master does not know its own /result URL yet", agentDown: false)
        }
        return try await inbox.expecting { token, wake in
            let push = TaskPushNotificationConfig(url: url, token: token, authentication: pushAuthentication)
            let request = SendMessageRequest(
                message: message(for: call),
                configuration: SendMessageConfiguration(taskPushNotificationConfig: push, returnImmediately: true))
            let response: SendMessageResponse
            do {
                response = try await client.sendMessage(request)
            } catch let error as A2AClientError {
                return Self.failure(error, agent: agent)
            }
            switch response {
            case .message(let reply):
                return .completed(artifacts: [Artifact(artifactId: reply.messageId, name: "answer", parts: reply.parts)]
                )
            case .task(let task):
                try await childID.set(task.id, started)
                if let outcome = task.outcome(agent: agent.name) { return outcome }
                return try await poll(task.id, agent: agent, client: client, wake: wake)
            }
        }
    }

    /// Waits for an attempt that an earlier master started (it died while the agent worked).
    func resume(_ id: String, on agent: AgentRecord) async throws -> StepOutcome {
        guard let card = agent.card,
            let client = try? A2AClient(
                card: card, configuration: clientConfiguration, httpClient: httpClient, logger: logger)
        else {
            return .failed(reason: "\(agent.name) has no usable agent card", agentDown: true)
        }
        let outcome = try await withDeadline(ContinuousClock.now + settings.stepTimeout) {
            try await self.poll(id, agent: agent, client: client, wake: nil)
        }
        return outcome ?? .failed(reason: "\(agent.name) did not finish task \(id) in time", agentDown: false)
    }

    /// Asks the agent for its task until it ends: after each push (`wake`) or poll interval.
    private func poll(_ id: String, agent: AgentRecord, client: A2AClient, wake: ChangeSignal?) async throws
        -> StepOutcome
    {
        var unreachable = 0
        while true {
            try Task.checkCancellation()
            do {
                let task = try await client.getTask(GetTaskRequest(id: id))
                unreachable = 0
                if let outcome = task.outcome(agent: agent.name) { return outcome }
            } catch let error as A2AClientError {
                if case .transport = error {
                    unreachable += 1
                    // Twice in a row: the agent is gone, and its task with it (unless it shares a store).
                    if unreachable >= 2 { return Self.failure(error, agent: agent) }
                } else if case .protocolError = error {
                    return .failed(reason: "\(agent.name) lost task \(id): \(error)", agentDown: false)
                }
            }
            if let wake {
                _ = await wake.wait(timeout: settings.pollInterval)
            } else {
                try await Task.sleep(for: settings.pollInterval)
            }
        }
    }

    static func failure(_ error: A2AClientError, agent: AgentRecord) -> StepOutcome {
        if case .transport = error {
            return .failed(reason: "\(agent.name) is unreachable: \(error)", agentDown: true)
        }
        return .failed(reason: "\(agent.name): \(error)", agentDown: false)
    }
}

/// The agent-side task id of an attempt, reported to the runner once.
final class ChildTaskID: Sendable {
    private let id = Mutex<String?>(nil)

    var value: String? { id.withLock { $0 } }

    /// Records `id` and tells `started`, the first time only.
    func set(_ new: String, _ started: @Sendable (String) async throws -> Void) async throws {
        let first = id.withLock { current -> Bool in
            guard current == nil else { return false }
            current = new
            return true
        }
        if first { try await started(new) }
    }
}

/// Runs `body` until `deadline`; nil when the deadline came first (the body is cancelled).
func withDeadline<Result: Sendable>(
    _ deadline: ContinuousClock.Instant, _ body: @escaping @Sendable () async throws -> Result
) async throws -> Result? {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await EventLoopTimer.sleep(until: deadline)
            return nil
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

extension Duration {
    /// Whole seconds, for messages.
    var seconds: Int64 { components.seconds }
}
