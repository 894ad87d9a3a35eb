import A2A
import Foundation
import Logging
import MeshTracing

/// The eleven A2A operations, independent of any binding. The JSON-RPC and HTTP+JSON bindings call it.
public final class A2ARequestHandler: Sendable {
    public let card: AgentCard
    public let extendedCard: AgentCard?
    let executor: any AgentExecutor
    let services: TaskServices
    let runner: AgentRunner
    let limits: A2ALimits

    public init(
        card: AgentCard, extendedCard: AgentCard? = nil, executor: any AgentExecutor, store: any TaskStore,
        pushConfigs: any PushConfigStore, pushSender: PushNotificationSender?, runner: AgentRunner,
        limits: A2ALimits = A2ALimits(), logger: Logger = Logger(label: "a2a.server"),
        onTaskSettled: TaskSettledObserver? = nil
    ) {
        self.card = card
        self.extendedCard = extendedCard
        self.executor = executor
        self.runner = runner
        self.limits = limits
        self.services = TaskServices(
            store: store, pushConfigs: pushConfigs, pushSender: pushSender, registry: TaskRegistry(), logger: logger,
            onSettled: onTaskSettled)
    }

    var supportsStreaming: Bool { card.capabilities.streaming == true }
    var supportsPush: Bool { card.capabilities.pushNotifications == true }

    // MARK: Messages

    /// SendMessage: answers with the task once it is terminal or interrupted (or at once with `returnImmediately`).
    ///
    /// A blocking call runs the executor in the request's own task: the answer waits for it anyway,
    /// and it saves handing the work to the runner and back. CancelTask still reaches it.
    public func sendMessage(_ request: SendMessageRequest, call: CallContext) async throws -> SendMessageResponse {
        let blocking = !(request.configuration?.returnImmediately ?? false)
        let run = try await startRun(request, call: call, subscribe: false, inline: blocking).run
        switch await run.outcome(blocking: blocking) {
        case .task(let task): return .task(task.limitingHistory(to: request.configuration?.historyLength))
        case .message(let message): return .message(message)
        case .error(let error): throw error
        }
    }

    /// SendStreamingMessage: the task (or one message) followed by its events until it settles.
    public func sendStreamingMessage(
        _ request: SendMessageRequest, call: CallContext
    ) async throws -> AsyncThrowingStream<StreamResponse, Error> {
        guard supportsStreaming else {
            throw A2AError(
                .unsupportedOperation, "this agent does not support streaming (capabilities.streaming is false)")
        }
        return try await startRun(request, call: call, subscribe: true, inline: false).stream!
    }

    private func startRun(
        _ request: SendMessageRequest, call: CallContext, subscribe: Bool, inline: Bool
    ) async throws -> (run: TaskRun, stream: AsyncThrowingStream<StreamResponse, Error>?) {
        try validate(request)
        if let config = request.configuration?.taskPushNotificationConfig {
            try await checkWebhook(
                config.url, field: "configuration.taskPushNotificationConfig.url",
                credentials: config.authentication?.credentials)
        }
        var message = request.message
        let run: TaskRun
        let task: A2ATask
        let stream: AsyncThrowingStream<StreamResponse, Error>?
        let isNewTask = message.taskId == nil
        if let taskId = message.taskId {
            run = try await liveRun(taskId)
            if let contextId = message.contextId, contextId != run.contextId {
                throw A2AError.invalidParams(
                    "message.contextId '\(contextId)' does not match the context '\(run.contextId)' of task \(taskId)",
                    field: "message.contextId")
            }
            message.contextId = run.contextId
            try await savePushConfig(request, taskId: taskId)
            task = try await run.acceptFollowUp(message)
            stream = subscribe ? await run.subscribe(snapshot: true, endsWhenInterrupted: true) : nil
        } else {
            message.taskId = Identifier.make()
            message.contextId = message.contextId ?? Identifier.make()
            if request.configuration?.taskPushNotificationConfig != nil {
                try await savePushConfig(request, taskId: message.taskId!)
            } else {
                // The id is new, so nobody has set a config for it yet: its first events need not ask the store.
                services.pushConfigs.noteNoConfigs(taskId: message.taskId!)
            }
            task = A2ATask(
                id: message.taskId!, contextId: message.contextId!, status: TaskStatus(state: .submitted),
                history: [message], metadata: Self.taskMetadata(request.metadata))
            services.logger.info(
                "task started", metadata: ["task.id": "\(task.id)", "context.id": "\(task.contextId)"])
            run = TaskRun(task: task, materialized: false, services: services)
            services.registry.insert(run)
            stream = subscribe ? await run.subscribe(snapshot: false, endsWhenInterrupted: true) : nil
        }
        let agentRequest = AgentRequest(
            message: message, task: task, configuration: request.configuration, metadata: request.metadata,
            call: call, isNewTask: isNewTask)
        let signal = await run.beginExecution(agentRequest)
        let executor = self.executor
        if inline {
            // A child task, so that CancelTask cancels the execution and not the request answering it.
            await runner.runHere {
                await withDiscardingTaskGroup { group in
                    group.addTask { await run.execute(executor, agentRequest, signal: signal) }
                }
            }
        } else {
            runner.submit { await run.execute(executor, agentRequest, signal: signal) }
        }
        return (run, stream)
    }

    /// A new task's metadata: the request's, with the id of the trace the request runs in (when it runs in one),
    /// so the task can be found in the logs of every agent it touched.
    static func taskMetadata(_ metadata: JSONObject?) -> JSONObject? {
        guard let traceID = MeshTrace.traceID else { return metadata }
        var metadata = metadata ?? [:]
        metadata[traceIDMetadataKey] = .string(traceID)
        return metadata
    }

    /// The key of the trace id in a task's metadata.
    public static let traceIDMetadataKey = "traceId"

    /// Checks that a webhook URL is an absolute http(s) URL.
    static func validateWebhook(_ text: String, field: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw A2AError.invalidParams("\(field) '\(text)' is not an absolute http(s) URL", field: field)
        }
    }

    /// Checks that the ``WebhookGuard`` of the push sender lets a webhook reach `text` (SSRF): invalid params if not.
    func checkWebhook(_ text: String, field: String, credentials: String? = nil) async throws {
        let guardrail = services.pushSender?.poster.guardrail ?? WebhookGuard()
        do {
            try await guardrail.check(text, acceptingUnresolvable: true, credentials: credentials)
        } catch {
            throw A2AError.invalidParams("\(field): \(error.description)", field: field)
        }
    }

    /// Stores the push config that came with a message, before anything else changes.
    private func savePushConfig(_ request: SendMessageRequest, taskId: String) async throws {
        guard var config = request.configuration?.taskPushNotificationConfig else { return }
        config.taskId = taskId
        config.id = config.id ?? Identifier.make()
        _ = try await services.pushConfigs.save(config)
    }

    // MARK: Tasks

    public func getTask(_ request: GetTaskRequest) async throws -> A2ATask {
        if let length = request.historyLength, length < 0 {
            throw A2AError.invalidParams("historyLength must be 0 or more, got \(length)", field: "historyLength")
        }
        return try await storedTask(request.id).limitingHistory(to: request.historyLength)
    }

    public func listTasks(_ request: ListTasksRequest) async throws -> ListTasksResponse {
        let pageSize = Int(request.pageSize ?? Int32(limits.defaultPageSize))
        guard (1...limits.maxPageSize).contains(pageSize) else {
            throw A2AError.invalidParams(
                "pageSize must be between 1 and \(limits.maxPageSize), got \(pageSize)", field: "pageSize")
        }
        if let length = request.historyLength, length < 0 {
            throw A2AError.invalidParams("historyLength must be 0 or more, got \(length)", field: "historyLength")
        }
        var cursor: TaskCursor?
        if let token = request.pageToken {
            guard let parsed = TaskCursor(token: token) else {
                throw A2AError.invalidParams(
                    "pageToken '\(token)' is not a token this agent issued", field: "pageToken")
            }
            cursor = parsed
        }
        let query = TaskQuery(
            contextId: request.contextId, state: request.status,
            statusTimestampAfter: request.statusTimestampAfter?.date,
            pageSize: pageSize, cursor: cursor)
        let page = try await services.store.list(query)
        let includeArtifacts = request.includeArtifacts ?? false
        let tasks = page.tasks.map { task in
            var task = task.limitingHistory(to: request.historyLength)
            task.artifacts = includeArtifacts ? (task.artifacts ?? []) : nil
            return task
        }
        return ListTasksResponse(
            tasks: tasks, nextPageToken: page.next?.token ?? "", pageSize: Int32(pageSize),
            totalSize: Int32(page.totalSize))
    }

    public func cancelTask(_ request: CancelTaskRequest, call: CallContext) async throws -> A2ATask {
        let task = try await storedTask(request.id)
        guard !task.status.state.isTerminal else {
            throw A2AError(
                .taskNotCancelable, "task \(task.id) is \(task.status.state.rawValue) and cannot be canceled",
                metadata: ["taskId": task.id])
        }
        let run = services.registry.run(for: task, services: services)
        return try await run.cancel(executor: executor, call: call)
    }

    public func subscribeToTask(_ request: SubscribeToTaskRequest) async throws -> AsyncThrowingStream<
        StreamResponse, Error
    > {
        guard supportsStreaming else {
            throw A2AError(
                .unsupportedOperation, "this agent does not support streaming (capabilities.streaming is false)")
        }
        if services.registry.run(for: request.id) == nil, let follower = services.store as? any TaskEventFollowing,
            let (_, cursor) = try? await follower.events(of: request.id, after: nil, wait: .zero),
            let stored = try await services.store.task(id: request.id), !stored.status.state.isTerminal
        {
            // Another replica runs this task: follow its events in the shared store. The cursor is read
            // before the snapshot, so an event in between is sent twice rather than lost.
            return FollowedTask(task: stored, source: follower, cursor: cursor).stream
        }
        let run = try await liveRun(request.id)
        return await run.subscribe(snapshot: true, endsWhenInterrupted: false)
    }

    // MARK: Push-notification configs

    public func createPushConfig(_ config: TaskPushNotificationConfig) async throws -> TaskPushNotificationConfig {
        try requirePush()
        guard let taskId = config.taskId else {
            throw A2AError.invalidParams("taskId is required", field: "taskId")
        }
        try Self.validateWebhook(config.url, field: "url")
        try await checkWebhook(config.url, field: "url", credentials: config.authentication?.credentials)
        _ = try await storedTask(taskId)
        var config = config
        config.id = config.id ?? Identifier.make()
        return try await services.pushConfigs.save(config)
    }

    public func getPushConfig(_ request: TaskPushNotificationConfigRequest) async throws -> TaskPushNotificationConfig {
        try requirePush()
        _ = try await storedTask(request.taskId)
        guard let config = try await services.pushConfigs.config(taskId: request.taskId, id: request.id) else {
            throw A2AError(
                .taskNotFound, "push notification config \(request.id) of task \(request.taskId) not found",
                metadata: ["taskId": request.taskId, "configId": request.id])
        }
        return config
    }

    public func listPushConfigs(
        _ request: ListTaskPushNotificationConfigsRequest
    ) async throws -> ListTaskPushNotificationConfigsResponse {
        try requirePush()
        _ = try await storedTask(request.taskId)
        return ListTaskPushNotificationConfigsResponse(
            configs: try await services.pushConfigs.configs(taskId: request.taskId))
    }

    public func deletePushConfig(_ request: TaskPushNotificationConfigRequest) async throws {
        try requirePush()
        _ = try await storedTask(request.taskId)
        try await services.pushConfigs.delete(taskId: request.taskId, id: request.id)
    }

    // MARK: Card

    public func getExtendedAgentCard() throws -> AgentCard {
        guard card.capabilities.extendedAgentCard == true else {
            throw A2AError(.unsupportedOperation, "this agent does not offer an extended agent card")
        }
        guard let extendedCard else {
            throw A2AError(
                .extendedAgentCardNotConfigured, "this agent declares an extended agent card but has none configured")
        }
        return extendedCard
    }

    // MARK: Helpers

    private func storedTask(_ id: String) async throws -> A2ATask {
        if let run = services.registry.run(for: id) { return await run.snapshot }
        guard let task = try await services.store.task(id: id) else { throw A2AError.taskNotFound(id) }
        return task
    }

    /// The run of a task that can still change; errors for unknown and terminal tasks.
    private func liveRun(_ id: String) async throws -> TaskRun {
        if let run = services.registry.run(for: id) { return run }
        guard let task = try await services.store.task(id: id) else { throw A2AError.taskNotFound(id) }
        guard !task.status.state.isTerminal else {
            throw A2AError(
                .unsupportedOperation,
                "task \(id) is \(task.status.state.rawValue) and accepts no more messages or subscriptions",
                metadata: ["taskId": id])
        }
        return services.registry.run(for: task, services: services)
    }

    private func requirePush() throws {
        guard supportsPush else {
            throw A2AError(
                .pushNotificationNotSupported,
                "this agent does not support push notifications (capabilities.pushNotifications is false)")
        }
    }

    /// The number of tasks this process is running or waiting on.
    public var liveTaskCount: Int { services.registry.count }
}
