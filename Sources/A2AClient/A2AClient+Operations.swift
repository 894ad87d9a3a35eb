import A2A

/// The eleven A2A operations, each sent over the endpoint's binding.
extension A2AClient {
    /// Sends a message; the agent answers with a task or a direct message.
    public func sendMessage(_ request: SendMessageRequest) async throws -> SendMessageResponse {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC {
            return try await jsonRPC(.sendMessage, request, as: SendMessageResponse.self)
        }
        return try await httpJSON(try .sendMessage(request, streaming: false), as: SendMessageResponse.self)
    }

    /// Sends a message and streams the task's events as they happen.
    public func sendStreamingMessage(_ request: SendMessageRequest) async throws -> A2AEventStream {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC {
            return try await openStream(
                try Self.jsonRPCRequest(url: endpoint.url, method: .sendStreamingMessage, params: request))
        }
        return try await openStream(
            Self.httpJSONRequest(base: endpoint.url, route: try .sendMessage(request, streaming: true)))
    }

    /// Fetches a task, with at most `historyLength` messages of history.
    public func getTask(_ request: GetTaskRequest) async throws -> A2ATask {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC { return try await jsonRPC(.getTask, request, as: A2ATask.self) }
        return try await httpJSON(.getTask(request), as: A2ATask.self)
    }

    /// Lists tasks that match the filters, one page at a time.
    public func listTasks(_ request: ListTasksRequest = ListTasksRequest()) async throws -> ListTasksResponse {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC { return try await jsonRPC(.listTasks, request, as: ListTasksResponse.self) }
        return try await httpJSON(.listTasks(request), as: ListTasksResponse.self)
    }

    /// Asks the agent to cancel a task and returns the task as it then stands.
    public func cancelTask(_ request: CancelTaskRequest) async throws -> A2ATask {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC { return try await jsonRPC(.cancelTask, request, as: A2ATask.self) }
        return try await httpJSON(try .cancelTask(request), as: A2ATask.self)
    }

    /// Streams the events of a task that is still running.
    public func subscribeToTask(_ request: SubscribeToTaskRequest) async throws -> A2AEventStream {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC {
            return try await openStream(
                try Self.jsonRPCRequest(url: endpoint.url, method: .subscribeToTask, params: request))
        }
        return try await openStream(Self.httpJSONRequest(base: endpoint.url, route: .subscribeToTask(request)))
    }

    /// Registers a webhook for a task's updates; `config.taskId` names the task.
    public func createTaskPushNotificationConfig(_ config: TaskPushNotificationConfig) async throws
        -> TaskPushNotificationConfig
    {
        let config = scoped(config)
        if endpoint.binding == .jsonRPC {
            return try await jsonRPC(.createTaskPushNotificationConfig, config, as: TaskPushNotificationConfig.self)
        }
        return try await httpJSON(try .createPushConfig(config), as: TaskPushNotificationConfig.self)
    }

    /// Fetches one webhook config of a task.
    public func getTaskPushNotificationConfig(_ request: GetTaskPushNotificationConfigRequest) async throws
        -> TaskPushNotificationConfig
    {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC {
            return try await jsonRPC(.getTaskPushNotificationConfig, request, as: TaskPushNotificationConfig.self)
        }
        return try await httpJSON(.getPushConfig(request), as: TaskPushNotificationConfig.self)
    }

    /// Lists the webhook configs of a task.
    public func listTaskPushNotificationConfigs(_ request: ListTaskPushNotificationConfigsRequest) async throws
        -> ListTaskPushNotificationConfigsResponse
    {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC {
            return try await jsonRPC(
                .listTaskPushNotificationConfigs, request, as: ListTaskPushNotificationConfigsResponse.self)
        }
        return try await httpJSON(.listPushConfigs(request), as: ListTaskPushNotificationConfigsResponse.self)
    }

    /// Deletes one webhook config of a task.
    public func deleteTaskPushNotificationConfig(_ request: DeleteTaskPushNotificationConfigRequest) async throws {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC {
            _ = try await jsonRPC(.deleteTaskPushNotificationConfig, request, as: EmptyResponse.self)
        } else {
            _ = try await httpJSON(.deletePushConfig(request), as: EmptyResponse.self)
        }
    }

    /// Fetches the card the agent shows to authenticated clients.
    public func getExtendedAgentCard(_ request: GetExtendedAgentCardRequest = GetExtendedAgentCardRequest())
        async throws -> AgentCard
    {
        let request = scoped(request)
        if endpoint.binding == .jsonRPC { return try await jsonRPC(.getExtendedAgentCard, request, as: AgentCard.self) }
        return try await httpJSON(.getExtendedAgentCard(request), as: AgentCard.self)
    }

    /// `request` with the endpoint's tenant when it names none itself.
    private func scoped<Request: TenantScoped>(_ request: Request) -> Request {
        guard request.tenant == nil, let tenant = endpoint.tenant, !tenant.isEmpty else { return request }
        var request = request
        request.tenant = tenant
        return request
    }
}

/// A request that may name a tenant.
protocol TenantScoped {
    var tenant: String? { get set }
}

extension SendMessageRequest: TenantScoped {}
extension GetTaskRequest: TenantScoped {}
extension ListTasksRequest: TenantScoped {}
extension CancelTaskRequest: TenantScoped {}
extension SubscribeToTaskRequest: TenantScoped {}
extension TaskPushNotificationConfig: TenantScoped {}
extension TaskPushNotificationConfigRequest: TenantScoped {}
extension ListTaskPushNotificationConfigsRequest: TenantScoped {}
extension GetExtendedAgentCardRequest: TenantScoped {}
