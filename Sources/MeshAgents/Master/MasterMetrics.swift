import Foundation
import MeshRuntime

/// The master's series in its host's ``MeshMetrics``: the task counters at zero, and the gauges read at every
/// scrape (the dispatch stream, the DLQ, the router's steps in flight per agent).
func reportMasterMetrics(services: MasterServices, dispatcher: DispatchConsumer, pipelines: [String]) {
    let metrics = services.metrics
    metrics.startMasterSeries(pipelines: pipelines.sorted())
    let store = services.store
    metrics.reportDispatchQueue(logger: services.logger) {
        let queue = try await dispatcher.queueSummary()
        let deadLetters = try await store.redis.xlen(store.keys.deadLetters)
        return (queue.length, queue.pending, deadLetters)
    }
    let router = services.router
    metrics.reportAgentInflight {
        let inFlight = router.inFlight
        let own = router.ownCardURL()
        var byName: [String: Int] = [:]
        for record in router.directory.records where record.cardURL != own {
            byName[record.name, default: 0] += inFlight[record.cardURL] ?? 0
        }
        return byName
    }
}

extension MeshMetrics {
    /// Counts `task`, which this master just ended, by pipeline and end state, with its time since submission.
    func recordTaskEnded(_ task: MeshTask) {
        let end: TaskEnd
        switch task.state {
        case .completed: end = .completed
        case .canceled: end = .canceled
        case .failed: end = task.deadLettered ? .deadLettered : .failed
        case .queued, .running: return
        }
        let elapsed = Date().timeIntervalSince(task.createdAt.date)
        recordTaskEnded(pipeline: task.pipeline, end: end, sinceSubmission: .seconds(elapsed))
    }
}

extension StepOutcome {
    /// The `outcome` label of `mesh_step_duration_seconds`.
    var metricLabel: String {
        switch self {
        case .completed: "completed"
        case .failed: "failed"
        }
    }
}
