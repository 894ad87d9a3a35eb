import A2A
import Discovery
import Foundation
import Logging

/// Why a run stopped before the task ended.
enum RunStop: Error {
    /// Someone else changed the task (canceled it, another master runs it now, or a save of ours whose reply was
    /// lost went through); this is what is stored.
    case overtaken(MasterStore.Stored)
    /// The task expired from Redis.
    case gone
}

/// One master's run of one task: its steps in pipeline order, each retried on other agents, with the improve
/// loop, until it completes or is dead-lettered. Every change is a compare-and-set save, so a run that lost
/// the task to a cancel or to another master stops at its next save.
actor TaskRun {
    private var stored: MasterStore.Stored
    let services: MasterServices
    let logger: Logger
    /// The dispatch entry this run came from: the save that ends the task acknowledges it too.
    let dispatchEntry: String?
    /// True once a save of this run acknowledged ``dispatchEntry``.
    private(set) var acknowledged = false

    init(_ stored: MasterStore.Stored, services: MasterServices, dispatchEntry: String? = nil) {
        self.stored = stored
        self.services = services
        self.dispatchEntry = dispatchEntry
        // The task id goes with each log call: setting it on the logger here would re-render the handler's
        // metadata for every task, logged or not.
        self.logger = services.logger
    }

    var task: MeshTask { stored.task }

    /// Runs the remaining steps.
    func execute() async throws {
        while let skill = task.currentSkill {
            let artifacts: [Artifact]
            switch try await runStep(skill) {
            case .completed(let output): artifacts = output
            case .failed(let reason, _):
                try await deadLetter(reason)
                return
            }
            try await advance(after: skill, artifacts: artifacts)
        }
        services.webhooks.send(task)
    }

    /// Records a finished step and moves on: to the next step, back into the improve loop, or to the end.
    private func advance(after skill: String, artifacts: [Artifact]) async throws {
        let score = artifacts.score
        var back: Int?
        if let improve = task.improve, skill == improve.from, let score, score < improve.threshold,
            task.round < improve.maxRounds
        {
            back = task.steps.firstIndex(of: improve.to)
        }
        let agent = task.runningStep?.agent
        try await commit(
            { task in
                if let last = task.history.indices.last, task.history[last].state == .running {
                    task.history[last].state = .completed
                    task.history[last].endedAt = Timestamp()
                    task.history[last].score = score
                    task.history[last].summary = artifacts.summary
                }
                task.artifacts = artifacts
                task.attempt = 0
                if let back {
                    task.round += 1
                    task.stepIndex = back
                } else {
                    task.stepIndex += 1
                    if task.stepIndex >= task.steps.count { task.state = .completed }
                }
            },
            events: { task in
                var events = [
                    MeshTaskEvent(.stepCompleted, task: task, skill: skill, agent: agent, score: score)
                ]
                if back != nil, let improve = task.improve {
                    events.append(
                        MeshTaskEvent(
                            .improve, task: task, skill: improve.to, score: score,
                            message: "score \(score.map { String(format: "%.2f", $0) } ?? "-") is below "
                                + "\(improve.threshold): back to \(improve.to), round \(task.round) of \(improve.maxRounds)"
                        ))
                }
                if task.state == .completed { events.append(MeshTaskEvent(.completed, task: task)) }
                return events
            })
    }

    /// Attempts at `skill` until one completes or the attempts run out (then `.failed` with the last reason).
    private func runStep(_ skill: String) async throws -> StepOutcome {
        var avoiding = Set<String>()
        var lastReason = "no attempt was made"
        if let running = task.runningStep, running.skill == skill, running.round == task.round {
            // A master died while this attempt ran; the agent may have finished it meanwhile.
            let outcome = try await resume(running)
            if case .completed = outcome { return outcome }
            if case .failed(let reason, _) = outcome {
                lastReason = reason
                if let url = running.agentURL { avoiding.insert(url) }
                try await recordFailure(reason, attempt: running.attempt, skill: skill, record: nil)
            }
        }
        while task.attempt < services.settings.maxAttempts {
            let attempt = task.attempt + 1
            let outcome: StepOutcome
            var record: MeshStepRecord?
            if let agent = services.router.pick(skill, avoiding: avoiding) {
                record = MeshStepRecord(
                    skill: skill, round: task.round, attempt: attempt, agent: agent.name, agentURL: agent.cardURL)
                if attempt > 1 { services.metrics.recordStepRetry(skill: skill) }
                let began = ContinuousClock.now
                do {
                    outcome = try await attemptStep(skill, attempt: attempt, on: agent, record: record!)
                } catch {
                    // Canceled, taken over or shut down: the agent no longer works on it for this master.
                    services.router.finished(agent.cardURL)
                    services.metrics.recordStep(skill: skill, outcome: "stopped", duration: ContinuousClock.now - began)
                    throw error
                }
                services.router.finished(agent.cardURL)
                services.metrics.recordStep(
                    skill: skill, outcome: outcome.metricLabel, duration: ContinuousClock.now - began)
                if case .failed(_, let down) = outcome {
                    avoiding.insert(agent.cardURL)
                    if down { services.router.markDown(agent.cardURL) }
                }
            } else {
                outcome = .failed(reason: "no live agent offers skill '\(skill)'", agentDown: false)
            }
            switch outcome {
            case .completed: return outcome
            case .failed(let reason, _):
                lastReason = reason
                logger.info(
                    "step failed",
                    metadata: [
                        "task.id": "\(task.id)", "skill": "\(skill)", "attempt": "\(attempt)", "reason": "\(reason)",
                    ])
                try await recordFailure(reason, attempt: attempt, skill: skill, record: record)
                if attempt < services.settings.maxAttempts {
                    try await Task.sleep(for: services.settings.delay(after: attempt))
                }
            }
        }
        return .failed(reason: lastReason, agentDown: false)
    }

    /// One attempt on `agent`, raced against a cancel of the task by anyone.
    private func attemptStep(_ skill: String, attempt: Int, on agent: AgentRecord, record: MeshStepRecord) async throws
        -> StepOutcome
    {
        let call = StepCall(
            taskId: task.id, skill: skill, input: task.input, contextId: task.contextId, round: task.round,
            attempt: attempt)
        logger.info(
            "step started",
            metadata: [
                "task.id": "\(task.id)", "skill": "\(skill)", "agent": "\(agent.name)", "round": "\(task.round)",
                "attempt": "\(attempt)",
            ])
        let services = services
        let id = task.id
        enum Race: Sendable {
            case outcome(StepOutcome)
            case canceled
        }
        let race = try await withThrowingTaskGroup(of: Race?.self) { group in
            group.addTask {
                .outcome(
                    try await services.caller.run(call, on: agent) { childID in
                        try await self.started(record, childID: childID)
                    })
            }
            group.addTask {
                await services.notifier.watching(id) { signal in
                    while !Task.isCancelled {
                        if await signal.wait(timeout: .seconds(60)) == .canceled { return Race.canceled }
                    }
                    return nil
                }
            }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let next { return next }
            }
            throw CancellationError()
        }
        switch race {
        case .outcome(let outcome): return outcome
        case .canceled:
            if let child = task.runningStep?.taskId {
                await services.cascade.cancel(agentURL: agent.cardURL, taskId: child)
            }
            guard let current = try await services.store.load(id) else { throw RunStop.gone }
            throw RunStop.overtaken(current)
        }
    }

    /// The agent took the attempt: the task is running and the attempt is in its history.
    private func started(_ record: MeshStepRecord, childID: String) async throws {
        var record = record
        record.taskId = childID
        let owner = services.consumer
        do {
            try await commitStart(record, owner: owner)
        } catch RunStop.overtaken(let current) where current.task.state == .canceled {
            // Canceled before the agent's task was recorded, so nobody else can cancel it.
            if let url = record.agentURL { await services.cascade.cancel(agentURL: url, taskId: childID) }
            throw RunStop.overtaken(current)
        }
    }

    private func commitStart(_ record: MeshStepRecord, owner: String) async throws {
        try await commit(
            { task in
                task.state = .running
                task.owner = owner
                task.attempt = record.attempt
                task.history.append(record)
            },
            events: { task in
                [
                    MeshTaskEvent(
                        record.attempt == 1 ? .stepStarted : .retry, task: task, skill: record.skill,
                        agent: record.agent, attempt: record.attempt)
                ]
            })
    }

    private func recordFailure(_ reason: String, attempt: Int, skill: String, record: MeshStepRecord?) async throws {
        let owner = services.consumer
        try await commit(
            { task in
                task.state = .running
                task.owner = owner
                task.attempt = attempt
                if let last = task.history.indices.last, task.history[last].state == .running {
                    task.history[last].state = .failed
                    task.history[last].endedAt = Timestamp()
                    task.history[last].error = reason
                } else {
                    var failed = record ?? MeshStepRecord(skill: skill, round: task.round, attempt: attempt)
                    failed.state = .failed
                    failed.endedAt = Timestamp()
                    failed.error = reason
                    task.history.append(failed)
                }
            },
            events: { task in
                [
                    MeshTaskEvent(
                        .stepFailed, task: task, skill: skill, agent: record?.agent, attempt: attempt, message: reason)
                ]
            })
    }

    private func resume(_ running: MeshStepRecord) async throws -> StepOutcome {
        guard let url = running.agentURL, let child = running.taskId,
            let agent = services.router.directory.records.first(where: { $0.cardURL == url })
        else {
            return .failed(
                reason: "\(running.agent ?? "the agent") left before its attempt could be resumed", agentDown: true)
        }
        logger.info(
            "resuming an attempt", metadata: ["task.id": "\(task.id)", "agent": "\(agent.name)", "child": "\(child)"])
        return try await services.caller.resume(child, on: agent)
    }

    private func deadLetter(_ reason: String) async throws {
        let skill = task.currentSkill ?? "-"
        let attempts = task.attempt
        let history = String(decoding: (try? MasterStore.encode(task.history)) ?? Data("[]".utf8), as: UTF8.self)
        let fields = [
            "task": task.id, "reason": reason, "skill": skill, "attempts": "\(attempts)",
            "failedAt": Timestamp().description, "history": history,
        ]
        try await commit(
            { task in
                task.state = .failed
                task.deadLettered = true
                task.error = "step \(skill) failed after \(attempts) attempt\(attempts == 1 ? "" : "s"): \(reason)"
            },
            events: { task in
                [
                    MeshTaskEvent(.deadLettered, task: task, skill: skill, attempt: attempts, message: reason),
                    MeshTaskEvent(.failed, task: task, message: task.error),
                ]
            },
            move: .deadLetter(fields))
        logger.warning(
            "task dead-lettered", metadata: ["task.id": "\(task.id)", "skill": "\(skill)", "reason": "\(reason)"])
        services.webhooks.send(task)
    }

    /// Saves a change if nobody else changed the task since it was read.
    private func commit(
        _ change: (inout MeshTask) -> Void, events: (MeshTask) -> [MeshTaskEvent], move: MasterStore.Move = .none
    ) async throws {
        var next = stored.task
        change(&next)
        next.updatedAt = Timestamp()
        do {
            let acknowledging = next.state.isTerminal ? dispatchEntry : nil
            let version = try await services.store.save(
                next, version: stored.version, events: events(next), move: move, acknowledging: acknowledging)
            if acknowledging != nil { acknowledged = true }
            stored = MasterStore.Stored(task: next, version: version)
            services.recent.remember(stored)
            // Counted once: only the save that ends the task gets here.
            if next.state.isTerminal { services.metrics.recordTaskEnded(next) }
        } catch MasterStore.SaveError.conflict(let current) {
            stored = current
            services.recent.remember(current)
            throw RunStop.overtaken(current)
        } catch MasterStore.SaveError.gone {
            throw RunStop.gone
        }
        services.notifier.notify(next.id, next.state)
    }
}
