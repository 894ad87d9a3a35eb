import A2A
import Foundation
import Synchronization

/// Where an agent keeps the push-notification configs of its tasks.
public protocol PushConfigStore: Sendable {
    /// Stores a config (its `id` and `taskId` are set) and returns it.
    nonisolated(nonsending) func save(_ config: TaskPushNotificationConfig) async throws -> TaskPushNotificationConfig
    /// The config with this id for this task, or `nil`.
    nonisolated(nonsending) func config(taskId: String, id: String) async throws -> TaskPushNotificationConfig?
    /// All configs of a task, in the order they were created.
    nonisolated(nonsending) func configs(taskId: String) async throws -> [TaskPushNotificationConfig]
    /// Removes a config; removing one that does not exist is not an error.
    nonisolated(nonsending) func delete(taskId: String, id: String) async throws
    /// The configs to deliver a task's next event to; a store may answer from a short-lived cache here, since
    /// this is asked for every event. By default, ``configs(taskId:)``.
    nonisolated(nonsending) func deliveryConfigs(taskId: String) async throws -> [TaskPushNotificationConfig]
    /// Tells a caching store that a task it has just created has no configs yet, so that
    /// ``deliveryConfigs(taskId:)`` can answer without a read. By default, nothing.
    func noteNoConfigs(taskId: String)
}

extension PushConfigStore {
    public func noteNoConfigs(taskId: String) {}

    public nonisolated(nonsending) func deliveryConfigs(taskId: String) async throws -> [TaskPushNotificationConfig] {
        try await configs(taskId: taskId)
    }
}

/// A ``PushConfigStore`` in process memory, bounded by the number of tasks it remembers.
public final class InMemoryPushConfigStore: PushConfigStore {
    private struct State {
        var byTask: [String: [TaskPushNotificationConfig]] = [:]
        var taskOrder: [String] = []
    }

    private let state = Mutex(State())
    private let maxTasks: Int

    public init(maxTasks: Int = 10_000) {
        self.maxTasks = maxTasks
    }

    public nonisolated(nonsending) func save(_ config: TaskPushNotificationConfig) async throws
        -> TaskPushNotificationConfig
    {
        guard let taskId = config.taskId, let id = config.id else {
            preconditionFailure("push configs are saved with their task id and id set")
        }
        state.withLock { state in
            if state.byTask[taskId] == nil {
                state.taskOrder.append(taskId)
                if state.taskOrder.count > maxTasks {
                    state.byTask[state.taskOrder.removeFirst()] = nil
                }
            }
            var list = state.byTask[taskId, default: []]
            if let index = list.firstIndex(where: { $0.id == id }) {
                list[index] = config
            } else {
                list.append(config)
            }
            state.byTask[taskId] = list
        }
        return config
    }

    public nonisolated(nonsending) func config(taskId: String, id: String) async throws -> TaskPushNotificationConfig? {
        state.withLock { $0.byTask[taskId]?.first { $0.id == id } }
    }

    public nonisolated(nonsending) func configs(taskId: String) async throws -> [TaskPushNotificationConfig] {
        state.withLock { $0.byTask[taskId] ?? [] }
    }

    public nonisolated(nonsending) func delete(taskId: String, id: String) async throws {
        state.withLock { state in
            state.byTask[taskId]?.removeAll { $0.id == id }
        }
    }
}
