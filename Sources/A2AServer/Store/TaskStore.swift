import A2A
import Foundation

/// Where an agent keeps its tasks. Implementations must be safe to call concurrently.
///
/// The in-memory store is the default for a single process; the Redis store lets any replica answer.
public protocol TaskStore: Sendable {
    /// Inserts or replaces a task; `event` is the change that produced this state, for stores that keep a log.
    ///
    /// A store shared by several processes must refuse to overwrite a task that is already terminal
    /// with ``TaskStoreError/alreadyTerminal(_:)``: terminal tasks are immutable.
    nonisolated(nonsending) func save(_ task: A2ATask, event: StreamResponse?) async throws
    /// The task with this id, or `nil`.
    nonisolated(nonsending) func task(id: String) async throws -> A2ATask?
    /// Tasks matching the query, most recently updated first.
    nonisolated(nonsending) func list(_ query: TaskQuery) async throws -> TaskPage
}

/// Why a store refused a write.
public enum TaskStoreError: Error, Sendable {
    /// Another process already finished the task; this is its stored state.
    case alreadyTerminal(A2ATask)
}

extension TaskStore {
    /// Saves a task with no event to log.
    public nonisolated(nonsending) func save(_ task: A2ATask) async throws {
        try await save(task, event: nil)
    }
}

/// Filters and a cursor for ``TaskStore/list(_:)``.
public struct TaskQuery: Sendable, Hashable {
    public var contextId: String?
    public var state: TaskState?
    public var statusTimestampAfter: Date?
    public var pageSize: Int
    public var cursor: TaskCursor?

    public init(
        contextId: String? = nil, state: TaskState? = nil, statusTimestampAfter: Date? = nil, pageSize: Int = 50,
        cursor: TaskCursor? = nil
    ) {
        self.contextId = contextId
        self.state = state
        self.statusTimestampAfter = statusTimestampAfter
        self.pageSize = pageSize
        self.cursor = cursor
    }

    /// True when the task passes the filters (not the cursor).
    public func matches(_ task: A2ATask) -> Bool {
        if let contextId, task.contextId != contextId { return false }
        if let state, task.status.state != state { return false }
        if let after = statusTimestampAfter, task.updatedAt <= after { return false }
        return true
    }
}

/// A page of tasks and where the next one starts.
public struct TaskPage: Sendable {
    public var tasks: [A2ATask]
    public var next: TaskCursor?
    public var totalSize: Int

    public init(tasks: [A2ATask], next: TaskCursor?, totalSize: Int) {
        self.tasks = tasks
        self.next = next
        self.totalSize = totalSize
    }
}

/// A position in the list order (status time descending, then id descending).
///
/// Opaque to clients: it travels as a base64url token.
public struct TaskCursor: Sendable, Hashable, Codable {
    /// Status time of the last task returned, in microseconds since 1970.
    public var micros: Int64
    public var id: String

    public init(micros: Int64, id: String) {
        self.micros = micros
        self.id = id
    }

    public init(after task: A2ATask) {
        self.init(micros: task.updatedAtMicros, id: task.id)
    }

    /// True when the task comes after this cursor in list order.
    public func precedes(_ task: A2ATask) -> Bool {
        let micros = task.updatedAtMicros
        return micros < self.micros || (micros == self.micros && task.id < id)
    }

    /// The token sent to clients.
    public var token: String {
        let json = (try? JSONEncoder().encode(self)) ?? Data()
        return json.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Parses a client's token; `nil` when it is not one of ours.
    public init?(token: String) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if base64.count % 4 != 0 { base64 += String(repeating: "=", count: 4 - base64.count % 4) }
        guard let data = Data(base64Encoded: base64), let cursor = try? JSONDecoder().decode(TaskCursor.self, from: data)
        else { return nil }
        self = cursor
    }
}

extension A2ATask {
    /// When the status last changed; tasks without a timestamp sort last.
    public var updatedAt: Date { status.timestamp?.date ?? .distantPast }

    var updatedAtMicros: Int64 {
        guard let date = status.timestamp?.date else { return .min }
        return Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// True when `self` sorts before `other` in list order (newest first, then id descending).
    public func listsBefore(_ other: A2ATask) -> Bool {
        let lhs = updatedAtMicros
        let rhs = other.updatedAtMicros
        return lhs > rhs || (lhs == rhs && id > other.id)
    }
}
