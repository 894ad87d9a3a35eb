import A2A
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import Testing

/// The shipped workers a–d against one shared memory and a real offline gateway.
@Suite struct WorkerPipelineTests {
    @Test func planRetrieveEvaluateFinalizeProduceACitedMarkdownDeliverable() async throws {
        let memory = InMemorySharedMemory()
        try await ingestSampleCorpus(into: memory)
        let context = "ctx-\(UUID().uuidString)"
        let request = "Explain the A2A protocol"
        try await withGateway(environment: [:]) { gateway in
            let plan = try await withWorker(try shippedAgent("worker-a"), memory: memory, gatewayURL: gateway.baseURL) {
                try await $0.send(request, contextId: context)
            }
            #expect(plan.status.state == .completed, "\(plan.statusText)")
            #expect(plan.artifactText.contains("[offline]"))

            // No input: retrieve queries with the plan that shared memory holds.
            let retrieve = try await withWorker(try shippedAgent("worker-b"), memory: memory) {
                try await $0.send(nil, contextId: context, data: ["note": "no query"])
            }
            #expect(retrieve.status.state == .completed, "\(retrieve.statusText)")

            let evaluate = try await withWorker(try shippedAgent("worker-c"), memory: memory) {
                try await $0.send(request, contextId: context)
            }
            #expect(evaluate.status.state == .completed, "\(evaluate.statusText)")
            let verdict = try #require(evaluate.artifactData)
            let score = try #require(verdict["score"]?.numberValue)
            #expect(score > 0 && score <= 1)
            guard case .array(let criteria)? = verdict["criteria"] else { Issue.record("no criteria"); return }
            #expect(criteria.count == 5)

            let final = try await withWorker(try shippedAgent("worker-d"), memory: memory) {
                try await $0.send(request, contextId: context)
            }
            #expect(final.status.state == .completed, "\(final.statusText)")
            let part = try #require(final.artifacts?.first?.parts.first)
            #expect(part.mediaType == "text/markdown")
            let markdown = try #require(part.text)
            #expect(markdown.hasPrefix("# Explain the A2A protocol\n"))
            #expect(markdown.contains("## Sources"))
            #expect(markdown.contains(".md**"), "no source file is cited:\n\(markdown)")
            #expect(markdown.contains("## Review"))

            let records = try await memory.all(context: context)
            #expect(Set(records.keys) == ["plan", "retrieve", "evaluate", "final"])
            #expect(records["plan"]?.objectValue?["request"]?.stringValue == request)
            #expect(records["final"]?.objectValue?["markdown"]?.stringValue == markdown)
        }
    }

    /// Offline, the first plan is an outline of the request; once retrieval has filled shared memory, the next
    /// round drafts from the passages, and the reviewer scores that draft higher.
    @Test func theOfflinePlanDraftsFromRetrievedPassagesInTheNextRound() async throws {
        let memory = InMemorySharedMemory()
        try await ingestSampleCorpus(into: memory)
        let context = "ctx-\(UUID().uuidString)"
        let request = "Explain the A2A protocol"
        try await withGateway(environment: [:]) { gateway in
            func plan() async throws -> String {
                let task = try await withWorker(
                    try shippedAgent("worker-a"), memory: memory, gatewayURL: gateway.baseURL
                ) { try await $0.send(request, contextId: context) }
                #expect(task.status.state == .completed, "\(task.statusText)")
                return task.artifactText
            }
            func evaluate() async throws -> Double {
                let task = try await withWorker(try shippedAgent("worker-c"), memory: memory) {
                    try await $0.send(request, contextId: context)
                }
                return try #require(task.artifactData?["score"]?.numberValue)
            }
            let outline = try await plan()
            #expect(outline.hasPrefix("[offline] Plan\n1. Clarify the goal: Explain the A2A protocol\n"), "\(outline)")
            #expect(!outline.contains("Request"), "the template's headings leaked into the plan:\n\(outline)")
            let retrieve = try await withWorker(try shippedAgent("worker-b"), memory: memory) {
                try await $0.send(request, contextId: context)
            }
            #expect(retrieve.status.state == .completed, "\(retrieve.statusText)")
            let outlineScore = try await evaluate()

            let draft = try await plan()
            #expect(draft.hasPrefix("[offline] A draft assembled from the shared knowledge base"), "\(draft)")
            #expect(draft.contains("(a2a-protocol.md)"), "no sentence cites the A2A passage:\n\(draft)")
            #expect(draft.contains("## What is unknown"))
            #expect(!draft.contains("planning agent"), "the prompt's instructions leaked into the draft:\n\(draft)")
            let draftScore = try await evaluate()
            #expect(draftScore > outlineScore, "outline \(outlineScore), draft \(draftScore)")
        }
    }

    @Test func thePlanPromptCarriesTheRequestAndTheReviewersFeedback() async throws {
        let memory = InMemorySharedMemory()
        let context = "ctx-\(UUID().uuidString)"
        try await memory.write(context: context, name: "evaluate", value: ["feedback": "Add a section on streaming."])
        try await HTTPTestServer.withServer(respond: { _ in
            .json(#"{"choices":[{"index":0,"message":{"role":"assistant","content":"Draft: plan"}}]}"#)
        }) { fakeGateway in
            let task = try await withWorker(
                try shippedAgent("worker-a"), memory: memory, gatewayURL: fakeGateway.baseURL
            ) {
                try await $0.send("Explain the A2A protocol", contextId: context)
            }
            #expect(task.status.state == .completed, "\(task.statusText)")
            #expect(task.artifactText == "Draft: plan")
            let sent = try #require(fakeGateway.requests.first)
            #expect(sent.uri == "/v1/chat/completions")
            #expect(sent.header("X-Mesh-Agent") == "worker-a")
            let body = jsonObject(sent.text)
            let messages = body["messages"] as? [[String: String]] ?? []
            #expect(messages.first?["role"] == "system")
            let prompt = messages.last?["content"] ?? ""
            #expect(prompt.contains("Request:\nExplain the A2A protocol"))
            #expect(prompt.contains("Add a section on streaming."), "\(prompt)")
            #expect(body["temperature"] as? Double == 0.2)
        }
        let plan = try await memory.read(context: context, name: "plan")?.objectValue
        #expect(plan?["draft"] == "Draft: plan" && plan?["request"] == "Explain the A2A protocol")
    }

    @Test func anUnreachableGatewayFailsThePlanNamingTheURL() async throws {
        let memory = InMemorySharedMemory()
        let url = "http://127.0.0.1:\(try freeLoopbackPort())"
        let task = try await withWorker(try shippedAgent("worker-a"), memory: memory, gatewayURL: url) {
            try await $0.send("Explain the A2A protocol", contextId: "ctx-down")
        }
        #expect(task.status.state == .failed)
        #expect(task.statusText.contains(url + "/v1/chat/completions"), "\(task.statusText)")
        #expect(try await memory.all(context: "ctx-down").isEmpty)
    }

    @Test func emptyInputIsRejectedWithAMessage() async throws {
        let memory = InMemorySharedMemory()
        for name in ["worker-a", "worker-b", "worker-c", "worker-d"] {
            let task = try await withWorker(try shippedAgent(name), memory: memory, gatewayURL: "http://127.0.0.1:9") {
                try await $0.send("   ", contextId: "ctx-empty")
            }
            #expect(task.status.state == .rejected, "\(name)")
            #expect(task.statusText.contains("needs"), "\(name): \(task.statusText)")
        }
        #expect(try await memory.all(context: "ctx-empty").isEmpty)
    }
}
