import A2A
import Foundation
import MeshRuntime
import MeshTracing

/// Where a mesh task is: queued until a master picks it up, running while its steps go out, then terminal.
public enum MeshTaskState: String, Sendable, Hashable, Codable, CaseIterable {
    case queued, running, completed, failed, canceled

    /// Completed, failed (and dead-lettered) or canceled: nothing moves it again but a DLQ replay.
    public var isTerminal: Bool { self == .completed || self == .failed || self == .canceled }
}

/// One attempt at one step: which agent ran it, its A2A task there, and how it ended.
public struct MeshStepRecord: Sendable, Hashable, Codable {
    /// How the attempt ended; `running` while it is under way.
    public enum Outcome: String, Sendable, Hashable, Codable {
        case running, completed, failed, canceled
    }

    public var skill: String
    /// The improve round, 0 for the first pass.
    public var round: Int
    /// 1 for the first try of this step in this round.
    public var attempt: Int
    /// The agent's card name and card URL; nil when no live agent had the skill.
    public var agent: String?
    public var agentURL: String?
    /// The A2A task on the agent, once it answered.
    public var taskId: String?
    public var state: Outcome
    public var startedAt: Timestamp
    public var endedAt: Timestamp?
    public var error: String?
    /// The evaluate step's score, when the step returned one.
    public var score: Double?
    /// The first characters of the step's text output, for people reading the history.
    public var summary: String?

    public init(skill: String, round: Int, attempt: Int, agent: String? = nil, agentURL: String? = nil) {
        self.skill = skill
        self.round = round
        self.attempt = attempt
        self.agent = agent
        self.agentURL = agentURL
        state = .running
        startedAt = Timestamp()
    }
}

/// A task the master accepted on `/task` (or through its A2A skill), as it is stored in Redis.
public struct MeshTask: Sendable, Hashable, Codable {
    public var id: String
    public var state: MeshTaskState
    public var input: String
    /// The pipeline it runs, or nil for a single-skill task.
    public var pipeline: String?
    /// The one skill of a single-skill task.
    public var skill: String?
    public var contextId: String
    public var metadata: JSONObject?
    /// Where the terminal state is POSTed.
    public var webhook: String?
    /// The skills to run in order (the pipeline's, or just ``skill``).
    public var steps: [String]
    public var improve: ImprovePlan?
    /// The step that runs next (or now); `steps.count` once all ran.
    public var stepIndex: Int
    /// How many times the work went back to the improve loop's first step.
    public var round: Int
    /// Attempts made at the current step in this round.
    public var attempt: Int
    /// Every attempt at every step, oldest first.
    public var history: [MeshStepRecord]
    /// The artifacts of the last completed step: the deliverable once the task completed.
    public var artifacts: [Artifact]
    public var error: String?
    /// True once the task failed for good and sits in the dead-letter stream.
    public var deadLettered: Bool
    /// The master consumer that ran it last.
    public var owner: String?
    /// The W3C `traceparent` (and `tracestate`) of the request that submitted it: every master that runs the task,
    /// also after a takeover, continues this trace, so its calls to workers carry the same trace id.
    public var traceParent: String?
    public var traceState: String?
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    /// The improve loop of a pipeline, copied into the task so a later change of mesh.yaml does not move it.
    public struct ImprovePlan: Sendable, Hashable, Codable {
        public var from: String
        public var to: String
        public var threshold: Double
        public var maxRounds: Int

        public init(_ improve: PipelineDefinition.Improve) {
            from = improve.from
            to = improve.to
            threshold = improve.threshold
            maxRounds = improve.maxRounds
        }
    }

    public init(
        id: String, input: String, pipeline: String?, skill: String?, contextId: String, metadata: JSONObject?,
        webhook: String?, steps: [String], improve: ImprovePlan?
    ) {
        self.id = id
        state = .queued
        self.input = input
        self.pipeline = pipeline
        self.skill = skill
        self.contextId = contextId
        self.metadata = metadata
        self.webhook = webhook
        self.steps = steps
        self.improve = improve
        stepIndex = 0
        round = 0
        attempt = 0
        history = []
        artifacts = []
        deadLettered = false
        createdAt = Timestamp()
        updatedAt = createdAt
    }

    /// The trace id of ``traceParent``: what to look for in the logs of the agents the task touched.
    public var traceId: String? { traceParent.flatMap(MeshTrace.traceID(ofTraceParent:)) }

    /// The skill of the step that runs next, nil once every step ran.
    public var currentSkill: String? { stepIndex < steps.count ? steps[stepIndex] : nil }

    /// The attempt under way, if the last one has not ended.
    public var runningStep: MeshStepRecord? {
        guard let last = history.last, last.state == .running else { return nil }
        return last
    }

    /// A rough share of the work done, 0...1: steps finished over steps planned.
    public var progress: Double {
        if state == .completed { return 1 }
        guard !steps.isEmpty else { return 0 }
        return min(0.99, Double(stepIndex) / Double(steps.count))
    }
}
