import A2A
import Foundation
import MeshAgents
import MeshRuntime

/// Tasks and events as the master stores them, in every state and with every optional member both ways.
///
/// Timestamps are parsed from their millisecond text, so a `Codable` round trip gives the value back exactly.
enum MeshTaskJSONFixtures {
    /// Parsed twice: for about one millisecond value in nine the parsed `Date` sits just below it and its
    /// description is a millisecond earlier (e.g. `…02.002Z` reads back as `…02.001Z`); that one is stable.
    static func time(_ text: String) -> Timestamp {
        Timestamp(iso8601: Timestamp(iso8601: text)!.description)!
    }

    /// Needs escaping or is not ASCII: quotes, backslashes, control characters, a slash, emoji, U+2028.
    static let awkward = "Résumé 日本語 🚀 \"quoted\" back\\slash\n\ttab\r \u{01}\u{1F}\u{7F} a/b </script> \u{2028} ü"

    static let metadata: JSONObject = [
        "tenant": "acme", "priority": 3, "ratio": 0.25, "tiny": 1e-7, "big": 12_345_678_901_234,
        "negative": -2.5, "flag": true, "off": false, "nothing": nil, "list": [1, "two", [3.5], ["k": "v"]],
        "nested": ["deeper": ["deepest": .string(awkward)]], "ünï/cødé \"key\"": "value\nline", "": "empty key",
    ]

    static func record(
        _ skill: String, round: Int = 0, attempt: Int = 1, state: MeshStepRecord.Outcome, agent: String? = "worker-a",
        error: String? = nil, score: Double? = nil, summary: String? = nil, ended: Bool = true
    ) -> MeshStepRecord {
        var record = MeshStepRecord(
            skill: skill, round: round, attempt: attempt, agent: agent,
            agentURL: agent.map { "http://127.0.0.1:9001/a2a/\($0)" })
        record.taskId = agent == nil ? nil : "a2a-task-\(skill)-\(round)-\(attempt)"
        record.state = state
        record.startedAt = time("2025-11-21T10:30:00.123Z")
        record.endedAt = ended ? time("2025-11-21T10:30:02.999Z") : nil
        record.error = error
        record.score = score
        record.summary = summary
        return record
    }

    static let artifacts: [Artifact] = [
        Artifact(artifactId: "answer", parts: [.text("The answer: 42 — \"exactly\".\n")]),
        Artifact(
            artifactId: "report", name: "Report", description: awkward,
            parts: [
                .text(awkward, mediaType: "text/markdown"), .data(["score": 0.85, "items": [1, 2, 3], "ok": true]),
                Part(.url("https://example.com/a?b=c&d=%20"), filename: "a.txt"),
                Part(.raw(Data([0, 1, 2, 250, 255])), metadata: ["encoding": "bytes"], mediaType: "application/x"),
                Part(.data(nil)), Part(.data("just a string")),
            ],
            metadata: metadata, extensions: ["https://example.com/ext/v1"]),
    ]

    static func task(
        _ id: String, state: MeshTaskState, pipeline: String? = nil, skill: String? = nil, metadata: JSONObject? = nil,
        webhook: String? = nil, improve: Bool = false, input: String = "What is an agent card?"
    ) -> MeshTask {
        let steps = pipeline == nil ? [skill ?? "answer"] : ["retrieve", "plan", "write", "evaluate"]
        var task = MeshTask(
            id: id, input: input, pipeline: pipeline, skill: pipeline == nil ? (skill ?? "answer") : nil,
            contextId: "ctx-\(id)", metadata: metadata, webhook: webhook, steps: steps,
            improve: improve
                ? MeshTask.ImprovePlan(.init(from: "evaluate", to: "plan", threshold: 0.8, maxRounds: 2)) : nil)
        task.state = state
        task.createdAt = time("2025-11-21T10:29:59.001Z")
        task.updatedAt = time("2025-11-21T10:30:03.450Z")
        return task
    }

    /// The typical task: one skill, one attempt, completed with a text artifact.
    static var singleStepCompleted: MeshTask {
        var task = task("t-single", state: .completed, skill: "answer")
        task.stepIndex = 1
        task.attempt = 1
        task.history = [record("answer", state: .completed, summary: "The answer: 42")]
        task.artifacts = [artifacts[0]]
        task.owner = "master-1"
        task.traceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        return task
    }

    static var tasks: [MeshTask] {
        var list: [MeshTask] = [
            task("t-queued", state: .queued, skill: "translate"),
            task("t-queued-pipeline", state: .queued, pipeline: "research", webhook: "https://hooks.example/x?y=1"),
            singleStepCompleted,
        ]

        var running = task("t-running", state: .running, pipeline: "research", metadata: metadata, improve: true)
        running.stepIndex = 1
        running.attempt = 2
        running.history = [
            record("retrieve", state: .completed, summary: "3 documents"),
            record("plan", state: .failed, error: "HTTP 503 from worker-a: \"busy\"\nretry later"),
            record("plan", attempt: 2, state: .running, agent: "worker-b", ended: false),
        ]
        running.owner = "master-2"
        running.traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        running.traceState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
        list.append(running)

        var improved = task(
            "t-improved", state: .completed, pipeline: "research", metadata: ["n": 1], webhook: "https://h.example/",
            improve: true, input: awkward)
        improved.stepIndex = 4
        improved.round = 1
        improved.attempt = 1
        improved.history = [
            record("retrieve", state: .completed), record("plan", state: .completed),
            record("write", state: .completed, summary: awkward),
            record("evaluate", state: .completed, score: 0.1 + 0.2, summary: "score 0.3"),
            record("plan", round: 1, state: .completed), record("write", round: 1, state: .completed),
            record("evaluate", round: 1, state: .completed, score: 1, summary: "score 1"),
            record("evaluate", round: 1, attempt: 2, state: .canceled, score: .leastNonzeroMagnitude),
        ]
        improved.artifacts = artifacts
        list.append(improved)

        var failed = task("t-failed", state: .failed, skill: "nobody-has-it", metadata: [:])
        failed.attempt = 3
        failed.history = (1...3).map {
            record("nobody-has-it", attempt: $0, state: .failed, agent: nil, error: "no agent")
        }
        failed.error = "no live agent has skill nobody-has-it after 3 attempts"
        failed.deadLettered = true
        failed.owner = "master-1"
        list.append(failed)

        var canceled = task("t-canceled", state: .canceled, pipeline: "research", improve: true)
        canceled.history = [record("retrieve", state: .canceled, error: "canceled by the client", score: -0.5)]
        canceled.error = "canceled"
        list.append(canceled)

        var unicode = task("t-ünïcødé-🚀", state: .queued, skill: "translate", input: awkward)
        unicode.contextId = awkward
        unicode.error = ""
        unicode.owner = ""
        list.append(unicode)
        return list
    }

    static var events: [MeshTaskEvent] {
        let running = tasks[3]
        let kinds: [MeshTaskEvent.Kind] = [
            .queued, .stepStarted, .stepCompleted, .stepFailed, .retry, .improve, .completed, .failed, .canceled,
            .deadLettered, .replayed,
        ]
        var list: [MeshTaskEvent] = []
        for (index, kind) in kinds.enumerated() {
            var plain = MeshTaskEvent(kind, task: running)
            plain.time = time("2025-11-21T10:30:0\(index).00\(index)Z")
            list.append(plain)
            var full = MeshTaskEvent(
                kind, task: running, skill: "plan", agent: "worker-b", attempt: index + 1,
                score: index.isMultiple(of: 2) ? 0.85 : nil, message: index == 3 ? awkward : "step \(index)")
            full.state = MeshTaskState.allCases[index % MeshTaskState.allCases.count]
            full.progress = [0, 0.25, 1.0 / 3, 0.99, 1][index % 5]
            full.time = time("2025-12-31T23:59:59.999Z")
            list.append(full)
        }
        return list
    }
}
