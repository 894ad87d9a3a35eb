import A2A
import A2AServer
import MeshRuntime

/// The `retrieve` skill kind (worker-b): ``RetrieveSkill`` with the configured depth. The query is the
/// request's text (or a data part's `query`), else the current draft from shared memory, so a pipeline step
/// sent without input still retrieves for what was planned.
public struct RetrieveSkillHandler: WorkerSkillHandler {
    public let skill: RetrieveSkill

    public init(settings: RetrieveSkillSettings, memory: any SharedMemory) {
        self.skill = RetrieveSkill(memory: memory, topK: settings.topK)
    }

    public nonisolated(nonsending) func run(_ call: SkillCall) async throws {
        var query = RetrieveSkill.query(of: call.request.message).trimmingCharacters(in: .whitespacesAndNewlines)
        if query.isEmpty {
            query = try await call.records().draft?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }
        guard !query.isEmpty else {
            throw WorkerSkillError.badInput(
                "\(call.skill.id) needs a query: send text or a data part with \"query\" (shared memory holds no plan either)"
            )
        }
        try await skill.execute(query: query, contextId: call.contextId, updater: call.updater)
    }
}
