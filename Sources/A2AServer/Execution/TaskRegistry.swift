import A2A
import Logging
import Synchronization

/// The stores and senders a task run writes to.
struct TaskServices: Sendable {
    let store: any TaskStore
    let pushConfigs: any PushConfigStore
    let pushSender: PushNotificationSender?
    let registry: TaskRegistry
    let logger: Logger
    /// Told when a task this process runs changes into a terminal or interrupted state.
    var onSettled: TaskSettledObserver? = nil
}

/// Sees a task each time it changes into a terminal or interrupted state in this process (for metrics).
public typealias TaskSettledObserver = @Sendable (A2ATask) -> Void

/// The runs of tasks that are not terminal, by task id.
final class TaskRegistry: Sendable {
    private let runs = Mutex<[String: TaskRun]>([:])

    /// Registers a run for a new task.
    func insert(_ run: TaskRun) {
        runs.withLock { $0[run.taskId] = run }
    }

    /// The live run of a task, if there is one.
    func run(for id: String) -> TaskRun? {
        runs.withLock { $0[id] }
    }

    /// The live run of a stored, non-terminal task, creating it when this process has none yet.
    func run(for task: A2ATask, services: @autoclosure () -> TaskServices) -> TaskRun {
        runs.withLock { runs in
            if let existing = runs[task.id] { return existing }
            let run = TaskRun(task: task, materialized: true, services: services())
            runs[task.id] = run
            return run
        }
    }

    func remove(_ run: TaskRun) {
        runs.withLock { runs in
            if runs[run.taskId] === run { runs[run.taskId] = nil }
        }
    }

    /// The number of live runs.
    var count: Int { runs.withLock { $0.count } }
}
