import A2A
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import Testing

/// worker-c's rubric judge and the LLM judge with its fallback.
@Suite struct WorkerEvaluateTests {
    static let goodDraft = """
        The A2A protocol lets agents exchange messages and tasks over HTTP with JSON-RPC. Some details of \
        authentication are unknown from the sources.

        ## Agent cards
        An agent card lists the skills of an agent and where to reach it.

        ## Tasks
        A task moves from submitted to working to completed or failed, and artifacts carry the results.
        Streaming sends status updates as server-sent events, so a client follows a task as it runs.
        Push notifications tell a client about a task when it is not connected.
        """

    func evaluate(draft: String, settings: EvaluateSkillSettings? = nil, gatewayURL: String? = nil) async throws
        -> A2ATask
    {
        let memory = InMemorySharedMemory()
        let context = "ctx-\(UUID().uuidString)"
        try await memory.write(
            context: context, name: "plan",
            value: ["request": "Explain the A2A protocol and agent cards", "draft": .string(draft)])
        try await memory.write(
            context: context, name: "retrieve",
            value: [
                "query": "A2A",
                "passages": [
                    [
                        "id": "c1", "source": "agent-cards.md", "score": 1,
                        "text":
                            "An agent card lists the skills of an agent and where to reach it. Tasks move from submitted to completed.",
                    ]
                ],
            ])
        var agent = try shippedAgent("worker-c")
        if let settings { agent.skills[0].settings = .evaluate(settings) }
        let task = try await withWorker(agent, memory: memory, gatewayURL: gatewayURL) {
            try await $0.send(nil, contextId: context, data: [:])
        }
        #expect(try await memory.read(context: context, name: "evaluate")?.objectValue == task.artifactData)
        return task
    }

    @Test func aGoodDraftScoresHigherThanAnEmptyOne() async throws {
        let good = try await evaluate(draft: Self.goodDraft)
        let empty = try await evaluate(draft: "")
        let goodScore = try #require(good.artifactData?["score"]?.numberValue)
        let emptyScore = try #require(empty.artifactData?["score"]?.numberValue)
        #expect(emptyScore == 0)
        #expect(goodScore > 0.6, "\(good.artifactData ?? [:])")
        #expect(empty.artifactData?["passed"] == .bool(false))
        #expect(empty.artifactData?["feedback"]?.stringValue?.hasPrefix("Improve:") == true)
    }

    @Test func rubricChecksAreDeterministicAndExplained() {
        let judge = RubricJudge()
        let criteria = [
            "The draft answers the question that was asked.", "It is organised with a summary and headings.",
        ]
        let first = judge.score(draft: Self.goodDraft, request: "agent cards", passages: [], rubric: criteria)
        #expect(first == judge.score(draft: Self.goodDraft, request: "agent cards", passages: [], rubric: criteria))
        #expect(first.map(\.score) == [1, 1])
        let flat = judge.score(draft: "Cards.", request: "agent cards", passages: [], rubric: criteria)
        #expect(flat[0].score == 0.5 && flat[1].score == 0.5, "\(flat)")
        #expect(flat[1].note.contains("no headings"))
    }

    @Test func theLLMJudgeParsesTheGatewaysJSON() async throws {
        try await withGateway(environment: [:]) { gateway in
            let settings = EvaluateSkillSettings(rubric: ["Clear."], threshold: 0.5, judge: .llm)
            let task = try await evaluate(draft: Self.goodDraft, settings: settings, gatewayURL: gateway.baseURL)
            #expect(task.status.state == .completed, "\(task.statusText)")
            // The offline provider answers `[offline] {"score": ..., "feedback": ...}`.
            #expect(task.artifactData?["judge"] == "llm")
            #expect(task.artifactData?["feedback"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func anLLMAnswerWithoutJSONFallsBackToTheRubric() async throws {
        try await HTTPTestServer.withServer(respond: { _ in
            .json(#"{"choices":[{"index":0,"message":{"role":"assistant","content":"Looks fine to me."}}]}"#)
        }) { server in
            let settings = EvaluateSkillSettings(rubric: ["It is organised with a summary and headings."], judge: .llm)
            let task = try await evaluate(draft: Self.goodDraft, settings: settings, gatewayURL: server.baseURL)
            #expect(task.status.state == .completed)
            #expect(task.artifactData?["judge"] == "rubric")
            #expect(task.artifactData?["score"] == 1)
            #expect(task.artifactData?["feedback"]?.stringValue?.contains("no valid JSON") == true)
        }
    }
}
