import A2A
import Crypto
import Foundation
import Logging
import MeshRuntime
import MeshTracing
import Redis

/// What a client asks the master to do (`POST /task`, the A2A skill, `/invocations`).
public struct TaskSubmission: Sendable, Hashable {
    public var input: String
    public var pipeline: String?
    public var skill: String?
    public var contextId: String?
    public var metadata: JSONObject?
    public var webhook: String?

    public init(
        input: String, pipeline: String? = nil, skill: String? = nil, contextId: String? = nil,
        metadata: JSONObject? = nil, webhook: String? = nil
    ) {
        self.input = input
        self.pipeline = pipeline
        self.skill = skill
        self.contextId = contextId
        self.metadata = metadata
        self.webhook = webhook
    }
}

/// Why the master refuses a request; each maps to an HTTP status with a message.
public enum MasterRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case notFound(String)
    case conflict(String)

    public var description: String {
        switch self {
        case .invalid(let message), .notFound(let message), .conflict(let message): message
        }
    }
}

/// The master's operations, shared by its HTTP routes, its A2A executor and `/invocations`.
public final class MasterService: Sendable {
    let services: MasterServices
    let pipelines: [String: PipelineDefinition]
    let consumer: DispatchConsumer

    init(services: MasterServices, pipelines: [String: PipelineDefinition], consumer: DispatchConsumer) {
        self.services = services
        self.pipelines = pipelines
        self.consumer = consumer
    }

    var store: MasterStore { services.store }

    /// Validates and stores a task, queues it, and returns it; with an idempotency key used before, returns
    /// the earlier task (`replayed` true) or refuses a different request under the same key.
    /// - Parameter limit: the caller's rate and quota, counted only when the task is created; a refusal throws
    ///   its ``RateLimitRefusal``.
    /// - Returns: the task, whether it is an earlier one (`Idempotency-Key`), and what the limit counted.
    public func submit(_ submission: TaskSubmission, idempotencyKey: String? = nil, limit: RateLimitCheck? = nil)
        async throws -> (task: MeshTask, replayed: Bool, counted: RateLimitDecision?)
    {
        let task = try makeTask(submission)
        if let webhook = submission.webhook { try await services.webhooks.check(webhook) }
        // Only a key's reuse is compared, so only then is the request hashed.
        let fingerprint = idempotencyKey == nil ? "" : Self.fingerprint(submission)
        let outcome = try await store.submit(
            task, event: MeshTaskEvent(.queued, task: task, message: "queued"), idempotencyKey: idempotencyKey,
            fingerprint: fingerprint, limit: limit)
        switch outcome {
        case .created(let counted):
            services.recent.remember(MasterStore.Stored(task: task, version: 1))
            services.metrics.recordTaskSubmitted()
            return (task, false, counted)
        case .limited(let refusal):
            throw refusal
        case .existing(let id, let earlier):
            guard earlier == fingerprint else {
                throw MasterRequestError.conflict(
                    "Idempotency-Key '\(idempotencyKey ?? "")' was already used for a different request (task \(id))")
            }
            guard let stored = try await store.load(id) else {
                throw MasterRequestError.conflict(
                    "Idempotency-Key '\(idempotencyKey ?? "")' belongs to task \(id), which has expired")
            }
            return (stored.task, true, nil)
        }
    }

    func makeTask(_ submission: TaskSubmission) throws(MasterRequestError) -> MeshTask {
        let input = submission.input.trimming(.whitespacesAndNewlines)
        guard !input.isEmpty else { throw .invalid("'input' must not be empty") }
        if submission.pipeline != nil && submission.skill != nil {
            throw .invalid("give either 'pipeline' or 'skill', not both")
        }
        var steps: [String]
        var improve: MeshTask.ImprovePlan?
        var pipelineName: String?
        if let skill = submission.skill {
            guard Self.isValidName(skill) else {
                throw .invalid("'skill' must be a skill id (letters, digits, '.', '_' or '-'), got '\(skill)'")
            }
            steps = [skill]
        } else {
            let name = submission.pipeline ?? "default"
            guard let pipeline = pipelines[name] else {
                let known = pipelines.keys.sorted().joined(separator: ", ")
                throw .invalid("unknown pipeline '\(name)'; this mesh has: \(known.isEmpty ? "none" : known)")
            }
            steps = pipeline.steps
            improve = pipeline.improve.map(MeshTask.ImprovePlan.init)
            pipelineName = name
        }
        if let webhook = submission.webhook {
            guard let url = URL(string: webhook), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil
            else { throw .invalid("'webhook' must be an http or https URL, got '\(webhook)'") }
        }
        if let context = submission.contextId, context.isEmpty || context.count > 200 {
            throw .invalid("'contextId' must be 1 to 200 characters")
        }
        var task = MeshTask(
            id: Identifier.make(), input: input, pipeline: pipelineName, skill: submission.skill,
            contextId: submission.contextId ?? Identifier.make(), metadata: submission.metadata,
            webhook: submission.webhook, steps: steps, improve: improve)
        // The trace of the submitting request, for whichever master runs the task.
        task.traceParent = MeshTrace.traceParent
        task.traceState = MeshTrace.current?.traceStateHeaderValue
        return task
    }

    /// The task, or nil.
    public func task(_ id: String) async throws -> MeshTask? {
        try await store.load(id)?.task
    }

    /// Cancels a task that has not ended, and the agent's task of the step under way.
    public func cancel(_ id: String) async throws -> MeshTask {
        for _ in 0..<10 {
            guard let stored = try await store.load(id) else { throw MasterRequestError.notFound("no task \(id)") }
            guard !stored.task.state.isTerminal else {
                throw MasterRequestError.conflict("task \(id) is already \(stored.task.state.rawValue)")
            }
            var task = stored.task
            task.state = .canceled
            task.error = "canceled by request"
            task.updatedAt = Timestamp()
            let running = task.runningStep
            if let last = task.history.indices.last, task.history[last].state == .running {
                task.history[last].state = .canceled
                task.history[last].endedAt = Timestamp()
            }
            do {
                let version = try await store.save(
                    task, version: stored.version, events: [MeshTaskEvent(.canceled, task: task, message: "canceled")])
                services.recent.remember(MasterStore.Stored(task: task, version: version))
            } catch MasterStore.SaveError.conflict {
                continue
            }
            services.metrics.recordTaskEnded(task)
            services.notifier.notify(id, .canceled)
            if let url = running?.agentURL, let child = running?.taskId {
                await services.cascade.cancel(agentURL: url, taskId: child)
            }
            services.webhooks.send(task)
            return task
        }
        throw MasterRequestError.conflict("task \(id) kept changing; try the cancel again")
    }

    /// Queues a dead-lettered task again from the step that failed, with fresh attempts.
    public func replay(_ id: String) async throws -> MeshTask {
        for _ in 0..<10 {
            guard let stored = try await store.load(id), stored.task.deadLettered else {
                throw MasterRequestError.notFound("task \(id) is not in the dead-letter queue")
            }
            var task = stored.task
            task.state = .queued
            task.deadLettered = false
            task.error = nil
            task.attempt = 0
            task.updatedAt = Timestamp()
            do {
                let version = try await store.save(
                    task, version: stored.version,
                    events: [
                        MeshTaskEvent(.replayed, task: task, skill: task.currentSkill, message: "replayed from the DLQ")
                    ],
                    move: .replay)
                services.recent.remember(MasterStore.Stored(task: task, version: version))
                return task
            } catch MasterStore.SaveError.conflict {
                continue
            }
        }
        throw MasterRequestError.conflict("task \(id) kept changing; try the replay again")
    }

    /// The task once it ended, waiting up to `wait` for that; nil when there is no such task.
    public func result(_ id: String, wait: Duration) async throws -> MeshTask? {
        try await services.notifier.watching(id) { signal in
            let deadline = ContinuousClock.now + wait
            while true {
                // A task that ended here is final in memory. Otherwise its state field says whether it ended,
                // and only then (or when the wait is over) is the whole task read and decoded.
                if let cached = services.recent.stored(id)?.task, cached.state.isTerminal { return cached }
                guard let state = try await store.state(of: id) else { return nil }
                let left = deadline - ContinuousClock.now
                if state.isTerminal || left <= .zero { return try await store.load(id)?.task }
                _ = await signal.wait(timeout: left)
                try Task.checkCancellation()
            }
        }
    }

    /// The task's events after `lastEventID`, then each new one as it happens, ending after a terminal
    /// event; `.idle` every `heartbeat` without news. Throws ``MasterRequestError/notFound(_:)`` at the first
    /// element when there is no such task.
    public func events(_ id: String, after lastEventID: String?, heartbeat: Duration = .seconds(15))
        -> AsyncThrowingStream<TaskFeedItem, Error>
    {
        let cursor = EventCursor(
            id: id, after: lastEventID, store: store, notifier: services.notifier, heartbeat: heartbeat)
        return AsyncThrowingStream(unfolding: { try await cursor.next() })
    }

    /// The dead-letter queue, oldest first.
    public func deadLetters(limit: Int = 100) async throws -> (size: Int, entries: [DeadLetter]) {
        let size = try await store.redis.xlen(store.keys.deadLetters)
        let entries = try await store.redis.xrange(store.keys.deadLetters, count: limit)
        return (size, entries.map(DeadLetter.init))
    }

    static func fingerprint(_ submission: TaskSubmission) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let canonical: [String: JSONValue] = [
            "input": .string(submission.input), "pipeline": submission.pipeline.map(JSONValue.string) ?? .null,
            "skill": submission.skill.map(JSONValue.string) ?? .null,
            "contextId": submission.contextId.map(JSONValue.string) ?? .null,
            "metadata": submission.metadata.map(JSONValue.object) ?? .null,
            "webhook": submission.webhook.map(JSONValue.string) ?? .null,
        ]
        let data = (try? encoder.encode(canonical)) ?? Data()
        return SHA256.hash(data: data).prefix(16).hexString
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 100
            && name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)
            }
    }
}

/// One entry of the dead-letter stream.
public struct DeadLetter: Sendable, Encodable {
    public var id: String
    public var taskId: String
    public var reason: String
    public var skill: String
    public var attempts: Int
    public var failedAt: String
    public var history: [MeshStepRecord]

    init(_ entry: RedisStreamEntry) {
        id = entry.id
        taskId = entry.fields["task"] ?? ""
        reason = entry.fields["reason"] ?? ""
        skill = entry.fields["skill"] ?? ""
        attempts = Int(entry.fields["attempts"] ?? "") ?? 0
        failedAt = entry.fields["failedAt"] ?? ""
        history =
            (try? JSONDecoder().decode([MeshStepRecord].self, from: Data((entry.fields["history"] ?? "[]").utf8))) ?? []
    }
}
