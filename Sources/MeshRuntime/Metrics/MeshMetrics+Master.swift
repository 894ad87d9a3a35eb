import Logging
import Prometheus
import Synchronization

extension MeshMetrics {
    /// How a mesh task ended, as the `state` label of `mesh_tasks_total`.
    public enum TaskEnd: String, Sendable, CaseIterable {
        case completed, failed, canceled
        case deadLettered = "dead_lettered"
    }

    /// The `pipeline` label of a task that runs a single skill.
    public static let noPipeline = "none"

    /// Creates the master's series at zero for `pipelines`, so a dashboard sees them before the first task.
    public func startMasterSeries(pipelines: [String]) {
        _ = submittedCounter
        for pipeline in pipelines + [Self.noPipeline] {
            for end in TaskEnd.allCases { _ = endedCounter(pipeline: pipeline, end: end) }
        }
    }

    /// Counts a task the master accepted (`POST /task`, A2A, `/invocations`).
    public func recordTaskSubmitted() {
        submittedCounter.increment()
    }

    /// Counts a task the master ended, once, with its time from submission to that end.
    public func recordTaskEnded(pipeline: String?, end: TaskEnd, sinceSubmission duration: Duration) {
        let pipeline = pipeline ?? Self.noPipeline
        endedCounter(pipeline: pipeline, end: end).increment()
        histogram(
            "mesh_dispatch_duration_seconds", "Time from a task's submission to its end, by pipeline and end state",
            [("pipeline", pipeline), ("state", end.rawValue)], buckets: Self.taskBuckets
        ).record(max(duration, .zero))
    }

    /// Records one attempt at a step that an agent took: how long it ran and how it ended
    /// (`completed`, `failed`, `canceled`).
    public func recordStep(skill: String, outcome: String, duration: Duration) {
        histogram(
            "mesh_step_duration_seconds", "Time of one attempt at a step on an agent, by skill and outcome",
            [("skill", skill), ("outcome", outcome)], buckets: Self.taskBuckets
        ).record(duration)
    }

    /// Counts an attempt at a step after a failed one.
    public func recordStepRetry(skill: String) {
        counter("mesh_step_retries_total", "Attempts at a step after a failed attempt, by skill", [("skill", skill)])
            .increment()
    }

    /// Reads the dispatch stream and the dead-letter queue at every scrape: `mesh_dispatch_queue_length`
    /// (tasks waiting or running), `mesh_dispatch_pending` (read by a master, not yet ended) and `mesh_dlq_size`.
    public func reportDispatchQueue(
        logger: Logger, read: @escaping @Sendable () async throws -> (length: Int, pending: Int, deadLetters: Int)
    ) {
        let length = gauge("mesh_dispatch_queue_length", "Entries in the dispatch stream: tasks waiting or running")
        let pending = gauge("mesh_dispatch_pending", "Dispatch entries a master read and has not finished")
        let dlq = gauge("mesh_dlq_size", "Tasks in the dead-letter queue")
        refreshBeforeScrape {
            do {
                let counts = try await read()
                length.set(Double(counts.length))
                pending.set(Double(counts.pending))
                dlq.set(Double(counts.deadLetters))
            } catch {
                logger.warning("metrics: cannot read the dispatch queue", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Reports the router's tasks in flight per agent name at every scrape; an agent that had some and is no
    /// longer listed reports 0.
    public func reportAgentInflight(_ read: @escaping @Sendable () -> [String: Int]) {
        let seen = Mutex<Set<String>>([])
        refreshBeforeScrape { [self] in
            let counts = read()
            let names = seen.withLock { seen in
                seen.formUnion(counts.keys)
                return seen
            }
            for name in names {
                gauge("mesh_agent_inflight", "Steps this master has in flight on an agent", [("agent", name)])
                    .set(Double(counts[name] ?? 0))
            }
        }
    }

    private var submittedCounter: Counter {
        counter("mesh_tasks_submitted_total", "Tasks the master accepted")
    }

    private func endedCounter(pipeline: String, end: TaskEnd) -> Counter {
        counter(
            "mesh_tasks_total", "Tasks the master ended, by pipeline and end state (counted once, where they ended)",
            [("pipeline", pipeline), ("state", end.rawValue)])
    }
}
