import A2A
import A2AServer
import Foundation
import MeshRuntime

/// The `evaluate` skill kind (worker-c): scores the current draft (the plan in shared memory, else the
/// request's text) and answers with a data part `{score, feedback, criteria: [{criterion, score, note}],
/// threshold, passed, judge}`, which it also writes into shared memory under `evaluate`, so the next plan
/// round reads the feedback.
///
/// `judge: rubric` uses ``RubricJudge``. `judge: llm` asks the gateway for a JSON verdict and falls back to the
/// rubric, saying so in the feedback, when the answer holds no valid JSON score.
public struct EvaluateSkillHandler: WorkerSkillHandler {
    public let settings: EvaluateSkillSettings
    public let gateway: LLMGatewayClient

    public init(settings: EvaluateSkillSettings, gateway: LLMGatewayClient) {
        self.settings = settings
        self.gateway = gateway
    }

    public nonisolated(nonsending) func run(_ call: SkillCall) async throws {
        let records = try await call.records()
        guard let draft = records.draft ?? (call.input.isEmpty ? nil : call.input) else {
            throw WorkerSkillError.badInput(
                "\(call.skill.id) needs a draft: shared memory holds no plan and the request has no text")
        }
        let request = records.request ?? call.input
        let passages = records.passages.map(\.text)
        try await call.updater.startWork()
        let rubric = RubricJudge().score(draft: draft, request: request, passages: passages, rubric: settings.rubric)
        var verdict = Verdict(rubric: rubric)
        if settings.judge == .llm {
            let answer = try await gateway.complete(
                judgeTurns(draft: draft, request: request, passages: passages), temperature: 0, agent: call.agent,
                task: call.request.taskId)
            if let judged = Verdict(judgeAnswer: answer, rubric: settings.rubric) {
                verdict = judged
            } else {
                verdict.judge = "rubric"
                verdict.feedback =
                    "The LLM judge's answer held no valid JSON score, so the rubric scored the draft. "
                    + verdict.feedback
            }
        }
        let result = verdict.json(threshold: settings.threshold)
        try await call.memory.write(context: call.contextId, name: "evaluate", value: result)
        try await call.updater.addArtifact(
            [.data(result), .text(verdict.feedback)], name: "evaluation", lastChunk: true)
        try await call.updater.complete()
    }

    private func judgeTurns(draft: String, request: String, passages: [String]) -> [LLMGatewayClient.Turn] {
        let criteria = settings.rubric.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
        let system = """
            You judge drafts. Evaluate the draft against each criterion and score it from 0 to 1. Answer with JSON \
            only: {"score": number, "feedback": string, "criteria": [{"criterion": string, "score": number, "note": string}]}
            """
        let user =
            "Request:\n\(request)\n\nCriteria:\n\(criteria)\n\nRetrieved passages:\n"
            + passages.joined(separator: "\n---\n") + "\n\nDraft:\n\(draft)"
        return [.init(role: "system", content: system), .init(role: "user", content: user)]
    }
}

/// A judgement: the overall score, feedback and per-criterion results.
struct Verdict {
    var score: Double
    var feedback: String
    var criteria: [RubricJudge.CriterionScore]
    var judge: String

    init(rubric: [RubricJudge.CriterionScore]) {
        score = rubric.isEmpty ? 0 : rubric.map(\.score).reduce(0, +) / Double(rubric.count)
        let weak = rubric.filter { $0.score < 0.7 }.map { "\($0.criterion) (\($0.note))" }
        feedback = weak.isEmpty ? "The draft meets every criterion." : "Improve: " + weak.joined(separator: "; ")
        criteria = rubric
        judge = "rubric"
    }

    /// The verdict in a model's answer: the first `{...}` in it, with a `score` between 0 and 1.
    init?(judgeAnswer: String, rubric: [String]) {
        guard let start = judgeAnswer.firstIndex(of: "{"), let end = judgeAnswer.lastIndex(of: "}"), start < end,
            let object = try? JSONDecoder().decode(JSONObject.self, from: Data(judgeAnswer[start...end].utf8)),
            let score = object["score"]?.numberValue, (0...1).contains(score)
        else { return nil }
        self.score = score
        feedback = object["feedback"]?.stringValue ?? ""
        judge = "llm"
        if case .array(let items)? = object["criteria"] {
            criteria = items.compactMap { item in
                guard let entry = item.objectValue, let criterion = entry["criterion"]?.stringValue else { return nil }
                return .init(
                    criterion: criterion, score: entry["score"]?.numberValue ?? score,
                    note: entry["note"]?.stringValue ?? "")
            }
        } else {
            // The model scored the draft as a whole; each criterion carries that score.
            criteria = rubric.map { .init(criterion: $0, score: score, note: "scored as a whole by the LLM judge") }
        }
    }

    func json(threshold: Double) -> JSONValue {
        let rounded = (score * 100).rounded() / 100
        return .object([
            "score": .number(rounded), "feedback": .string(feedback), "threshold": .number(threshold),
            "passed": .bool(rounded >= threshold), "judge": .string(judge),
            "criteria": .array(
                criteria.map {
                    .object(["criterion": .string($0.criterion), "score": .number($0.score), "note": .string($0.note)])
                }),
        ])
    }
}
