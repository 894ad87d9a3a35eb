import A2A
import Foundation
import Logging

/// What a SendMessage call resolves to.
enum RunOutcome: Sendable {
    case task(A2ATask)
    case message(Message)
    case error(A2AError)
}

/// The live state of one task that is not yet terminal: it applies the executor's events in order,
/// stores them, and publishes them to streams and push notifications.
actor TaskRun {
    nonisolated let taskId: String
    nonisolated let contextId: String

    private var task: A2ATask
    /// False until the first task event: a direct reply leaves no task behind.
    private var materialized: Bool
    private var reply: Message?
    /// The protocol error an execution ended with before creating the task.
    private var failure: A2AError?
    private var executing = false
    private var cancelSignal: CancelSignal?
    private var lastRequest: AgentRequest?
    private var subscribers: [Int: Subscriber] = [:]
    private var nextSubscriberID = 0
    private var firstEventWaiters: [CheckedContinuation<RunOutcome, Never>] = []
    private var settleWaiters: [CheckedContinuation<RunOutcome, Never>] = []
    /// Follow-ups that arrived while the previous execution was still returning.
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []
    private let services: TaskServices

    init(task: A2ATask, materialized: Bool, services: TaskServices) {
        self.task = task
        self.taskId = task.id
        self.contextId = task.contextId
        self.materialized = materialized
        self.services = services
    }

    var snapshot: A2ATask { task }

    private struct Subscriber {
        let continuation: AsyncThrowingStream<StreamResponse, Error>.Continuation
        /// SendStreamingMessage streams end when the task waits for input; SubscribeToTask streams
        /// follow the task to its terminal state.
        let endsWhenInterrupted: Bool
    }

    /// A stream of this task's events from now on; with `snapshot`, it starts with the current task.
    func subscribe(snapshot: Bool, endsWhenInterrupted: Bool) -> AsyncThrowingStream<StreamResponse, Error> {
        let (stream, continuation) = AsyncThrowingStream<StreamResponse, Error>.makeStream()
        if snapshot {
            continuation.yield(.task(task))
        }
        if task.status.state.isTerminal || (snapshot && endsWhenInterrupted && task.status.state.isInterrupted) {
            continuation.finish()
        } else {
            subscribers[nextSubscriberID] = Subscriber(
                continuation: continuation, endsWhenInterrupted: endsWhenInterrupted)
            nextSubscriberID += 1
        }
        return stream
    }

    /// Waits until the first event (non-blocking send) or until the task settles (blocking send).
    func outcome(blocking: Bool) async -> RunOutcome {
        if let reply { return .message(reply) }
        if let failure { return .error(failure) }
        if materialized, !blocking || isSettled { return .task(task) }
        if !executing, materialized { return .task(task) }
        return await withCheckedContinuation { continuation in
            if blocking {
                settleWaiters.append(continuation)
            } else {
                firstEventWaiters.append(continuation)
            }
        }
    }

    private var isSettled: Bool { task.status.state.isTerminal || task.status.state.isInterrupted }

    // MARK: Events from the executor

    func reply(_ message: Message) throws(A2AError) {
        guard !materialized, reply == nil else {
            throw A2AError(
                .invalidAgentResponse, "the agent already answered task \(taskId); it cannot also reply with a message")
        }
        reply = message
        publish(.message(message))
        finishSubscribers()
        resolve(&firstEventWaiters, .message(message))
        resolve(&settleWaiters, .message(message))
    }

    func apply(_ event: TaskEvent) async throws(A2AError) {
        guard reply == nil else {
            throw A2AError(.invalidAgentResponse, "the agent replied with a message; task \(taskId) was not created")
        }
        await materialize()
        let before = task.status.state
        let published = try task.apply(event)
        guard await persist(published) else {
            throw A2AError(
                .unsupportedOperation, "task \(taskId) was already \(task.status.state.rawValue) in the task store",
                metadata: ["taskId": taskId])
        }
        publish(published)
        await notifyPush(published)
        resolve(&firstEventWaiters, .task(task))
        if isSettled {
            finishSubscribers(onlyInterruptible: !task.status.state.isTerminal)
            resolve(&settleWaiters, .task(task))
            if task.status.state != before { services.onSettled?(task) }
        }
        if task.status.state.isTerminal {
            services.registry.remove(self)
        }
    }

    private func materialize() async {
        guard !materialized else { return }
        materialized = true
        _ = await persist(.task(task))
        publish(.task(task))
        await notifyPush(.task(task))
    }

    // MARK: Execution lifecycle

    /// Marks the start of an execution for `request`; returns the signal that cancels it.
    func beginExecution(_ request: AgentRequest) -> CancelSignal {
        let signal = CancelSignal()
        executing = true
        cancelSignal = signal
        lastRequest = request
        return signal
    }

    /// Runs the executor on this task's executor, so its updates apply without hops, then settles the task.
    func execute(_ executor: any AgentExecutor, _ request: AgentRequest, signal: CancelSignal) async {
        var failure: Error?
        do {
            try await signal.run {
                try await executor.execute(request, updater: TaskUpdater(run: self))
            }
        } catch {
            failure = error
        }
        await endExecution(error: failure)
    }

    /// Settles the task after `execute` returned or threw.
    func endExecution(error: Error?) async {
        executing = false
        cancelSignal = nil
        defer {
            let waiting = idleWaiters
            idleWaiters.removeAll()
            for waiter in waiting { waiter.resume() }
        }
        if reply == nil, !task.status.state.isTerminal {
            switch error {
            case let error as A2AError where !materialized:
                failure = error
                resolveAll(.error(error))
                services.registry.remove(self)
                return
            case .some(let error):
                let reason =
                    error is CancellationError
                    ? "the agent stopped before the task finished" : "the agent failed: \(String(describing: error))"
                services.logger.error("task failed", metadata: ["task.id": "\(taskId)", "error": "\(reason)"])
                let message = Message(
                    messageId: Identifier.make(), contextId: contextId, taskId: taskId, role: .agent,
                    parts: [.text(reason)])
                try? await apply(.status(TaskStatus(state: .failed, message: message), metadata: nil))
            case .none:
                if !isSettled {
                    // An executor that returns without a final state has finished its work.
                    try? await apply(.status(TaskStatus(state: .completed), metadata: nil))
                }
            }
        }
        resolveAll(reply.map(RunOutcome.message) ?? .task(task))
    }

    /// Cancels the task: stops a running execution and lets the executor record the cancellation.
    func cancel(executor: any AgentExecutor, call: CallContext) async throws -> A2ATask {
        guard !task.status.state.isTerminal else {
            throw A2AError(
                .taskNotCancelable, "task \(taskId) is \(task.status.state.rawValue) and cannot be canceled",
                metadata: ["taskId": taskId])
        }
        cancelSignal?.fire()
        let request =
            lastRequest
            ?? AgentRequest(
                message: task.history?.last ?? Message(messageId: Identifier.make(), role: .user, parts: []),
                task: task, call: call, isNewTask: false)
        try await executor.cancel(request, updater: TaskUpdater(run: self))
        if !task.status.state.isTerminal {
            try await apply(.status(TaskStatus(state: .canceled), metadata: nil))
        }
        return task
    }

    /// Accepts a follow-up message for an interrupted task: it joins the history and the task works again.
    func acceptFollowUp(_ message: Message) async throws -> A2ATask {
        // The client may answer as soon as it sees the interrupted state, before the executor returned.
        while executing, task.status.state.isInterrupted {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
        guard task.status.state.isInterrupted, !executing else {
            if task.status.state.isTerminal {
                throw A2AError(
                    .unsupportedOperation,
                    "task \(taskId) is \(task.status.state.rawValue) and accepts no more messages",
                    metadata: ["taskId": taskId])
            }
            throw A2AError(
                .unsupportedOperation,
                "task \(taskId) is \(task.status.state.rawValue); follow-up messages are accepted only in TASK_STATE_INPUT_REQUIRED or TASK_STATE_AUTH_REQUIRED",
                metadata: ["taskId": taskId])
        }
        executing = true
        // The agent's question precedes the answer in the history.
        if let question = task.status.message {
            task.history = (task.history ?? []) + [question]
            task.status.message = nil
        }
        task.history = (task.history ?? []) + [message]
        try await apply(.status(TaskStatus(state: .working), metadata: nil))
        return task
    }

    // MARK: Publishing

    /// Writes the task; false when another process already finished it, whose state this run then adopts.
    private func persist(_ event: StreamResponse?) async -> Bool {
        do {
            try await services.store.save(task, event: event)
        } catch TaskStoreError.alreadyTerminal(let stored) {
            services.logger.warning(
                "task finished elsewhere",
                metadata: ["task.id": "\(taskId)", "state": "\(stored.status.state.rawValue)"])
            task = stored
            cancelSignal?.fire()
            publish(.statusUpdate(TaskStatusUpdateEvent(taskId: taskId, contextId: contextId, status: stored.status)))
            finishSubscribers()
            resolve(&firstEventWaiters, .task(task))
            resolve(&settleWaiters, .task(task))
            services.registry.remove(self)
            return false
        } catch {
            services.logger.error("task store write failed", metadata: ["task.id": "\(taskId)", "error": "\(error)"])
        }
        return true
    }

    private func publish(_ event: StreamResponse) {
        for (id, subscriber) in subscribers {
            if case .terminated = subscriber.continuation.yield(event) {
                subscribers[id] = nil
            }
        }
    }

    private func notifyPush(_ event: StreamResponse) async {
        guard let sender = services.pushSender else { return }
        let configs = (try? await services.pushConfigs.deliveryConfigs(taskId: taskId)) ?? []
        for config in configs {
            sender.enqueue(event, to: config)
        }
    }

    private func finishSubscribers(onlyInterruptible: Bool = false) {
        for (id, subscriber) in subscribers where !onlyInterruptible || subscriber.endsWhenInterrupted {
            subscriber.continuation.finish()
            subscribers[id] = nil
        }
    }

    private func resolveAll(_ outcome: RunOutcome) {
        resolve(&firstEventWaiters, outcome)
        resolve(&settleWaiters, outcome)
        if case .error(let error) = outcome {
            for subscriber in subscribers.values { subscriber.continuation.finish(throwing: error) }
            subscribers.removeAll()
        }
    }

    private func resolve(_ waiters: inout [CheckedContinuation<RunOutcome, Never>], _ outcome: RunOutcome) {
        let pending = waiters
        waiters.removeAll()
        for waiter in pending { waiter.resume(returning: outcome) }
    }
}
