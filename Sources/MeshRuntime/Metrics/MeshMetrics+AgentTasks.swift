import A2A
import A2AServer

extension MeshMetrics {
    /// Counts an A2A task of this agent reaching `state` (terminal or interrupted), by the skill it asked for.
    public func recordAgentTask(skill: String, state: TaskState) {
        counter(
            "mesh_a2a_tasks_total", "A2A tasks of this agent that reached a terminal or interrupted state",
            [("skill", skill), ("state", Self.stateName(state))]
        ).increment()
    }

    /// The observer ``A2ARequestHandler`` calls as tasks settle: counts each by skill and state.
    ///
    /// The skill is the one the caller named (`skill` in the message's or the request's metadata, as the master
    /// sends it), else the card's only skill, else `unspecified`; a name that is neither a skill id nor a tag on
    /// the card counts as `unknown`, so a caller cannot create series at will.
    public func agentTaskObserver(card: AgentCard) -> TaskSettledObserver {
        let skills = Set(card.skills.flatMap { [$0.id] + $0.tags })
        let only = card.skills.count == 1 ? card.skills[0].id : nil
        return { [self] task in
            let named =
                task.history?.first?.metadata?["skill"]?.stringValue ?? task.metadata?["skill"]?.stringValue
            let skill: String =
                if let named { skills.contains(named) ? named : "unknown" } else { only ?? "unspecified" }
            recordAgentTask(skill: skill, state: task.status.state)
        }
    }

    /// Reports `count()` as the tasks running on `agent` at every scrape.
    public func reportInflightTasks(agent: String, count: @escaping @Sendable () -> Int) {
        let gauge = gauge("mesh_inflight_tasks", "A2A executions running on this agent now", [("agent", agent)])
        gauge.set(0.0)
        refreshBeforeScrape { gauge.set(Double(count())) }
    }

    /// `completed`, `input_required`: the state without the protocol's `TASK_STATE_` prefix, in lower case.
    static func stateName(_ state: TaskState) -> String {
        let raw = state.rawValue
        let bare = raw.hasPrefix("TASK_STATE_") ? String(raw.dropFirst("TASK_STATE_".count)) : raw
        return bare.lowercased()
    }
}
