import A2A
import A2AServer
import MeshRuntime

/// The `llm` skill kind (worker-a's `plan`): renders the prompt template with the request and the context's
/// shared memory (so a reviewer's `evaluate` feedback reaches the next draft), asks the llm-gateway, and
/// writes the answer into shared memory under the skill's id (`{request, draft, model}`).
public struct LLMSkillHandler: WorkerSkillHandler {
    public let settings: LLMSkillSettings
    public let gateway: LLMGatewayClient

    public init(settings: LLMSkillSettings, gateway: LLMGatewayClient) {
        self.settings = settings
        self.gateway = gateway
    }

    public nonisolated(nonsending) func run(_ call: SkillCall) async throws {
        let request = call.input
        guard !request.isEmpty else {
            throw WorkerSkillError.badInput("\(call.skill.id) needs a request: send it as a text part")
        }
        let records = try await call.records()
        let prompt = settings.render(input: request, memory: records.json)
        try await call.updater.startWork()
        // The system turn names the skill, so a provider (and the offline one) knows what kind of answer is wanted.
        let turns = [
            LLMGatewayClient.Turn(
                role: "system", content: "You are the \(call.skill.name) skill: \(call.skill.description)"),
            LLMGatewayClient.Turn(role: "user", content: prompt),
        ]
        let draft = try await gateway.complete(
            turns, model: settings.model, temperature: settings.temperature, agent: call.agent,
            task: call.request.taskId)
        var record: JSONObject = ["request": .string(request), "draft": .string(draft)]
        if let model = settings.model { record["model"] = .string(model) }
        try await call.memory.write(context: call.contextId, name: call.skill.id, value: .object(record))
        try await call.updater.addArtifact(
            [.text(draft, mediaType: "text/markdown")], name: call.skill.id, lastChunk: true)
        try await call.updater.complete()
    }
}
