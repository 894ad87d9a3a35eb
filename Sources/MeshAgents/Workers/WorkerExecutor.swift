import A2A
import A2AServer
import A2AClient
import AsyncHTTPClient
import MeshRuntime

/// Serves an ``AgentDefinition``'s skills: it picks the skill a request names and runs that skill kind's
/// handler against the context's shared memory.
///
/// The skill is the message's metadata `skill` (else the request's), else the agent's only skill that is not
/// reserved for the master or the gateway. A request that names no skill of this agent, or that leaves the
/// choice open among several, is REJECTED with the skills it has; so is input the handler cannot use.
/// A handler's ``WorkerSkillError/failed(_:)`` ends the task FAILED with its message.
public struct WorkerExecutor: AgentExecutor {
    public let agent: AgentDefinition
    let memory: any SharedMemory
    let handlers: [String: any WorkerSkillHandler]

    /// `gateway` serves the `llm` kind and the LLM judge; `httpClient` the `http` kind.
    public init(
        agent: AgentDefinition, memory: any SharedMemory, gateway: LLMGatewayClient,
        httpClient: HTTPClient = A2AClient.defaultHTTPClient
    ) {
        self.agent = agent
        self.memory = memory
        var handlers: [String: any WorkerSkillHandler] = [:]
        for skill in agent.skills {
            switch skill.settings {
            case .llm(let settings): handlers[skill.id] = LLMSkillHandler(settings: settings, gateway: gateway)
            case .retrieve(let settings): handlers[skill.id] = RetrieveSkillHandler(settings: settings, memory: memory)
            case .evaluate(let settings):
                handlers[skill.id] = EvaluateSkillHandler(settings: settings, gateway: gateway)
            case .finalize(let settings): handlers[skill.id] = FinalizeSkillHandler(settings: settings)
            case .http(let settings): handlers[skill.id] = HTTPSkillHandler(settings: settings, httpClient: httpClient)
            case .orchestrate, .gateway: break
            }
        }
        self.handlers = handlers
    }

    /// The skills this executor runs, in the order the agent's file lists them.
    public var servedSkills: [SkillDefinition] {
        agent.skills.filter { handlers[$0.id] != nil }
    }

    public nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        let skill: SkillDefinition
        switch select(for: request) {
        case .success(let chosen): skill = chosen
        case .failure(let error):
            try await updater.reject(updater.agentMessage(error.description))
            return
        }
        let call = SkillCall(request: request, skill: skill, agent: agent.name, memory: memory, updater: updater)
        do {
            try await handlers[skill.id]!.run(call)
        } catch WorkerSkillError.badInput(let message) {
            try await updater.reject(updater.agentMessage(message))
        } catch WorkerSkillError.failed(let message) {
            try await updater.fail(updater.agentMessage(message))
        }
    }

    /// The skill `request` asks for, or why none can be chosen.
    public func select(for request: AgentRequest) -> Result<SkillDefinition, WorkerSkillError> {
        let served = servedSkills
        let names = served.map(\.id).joined(separator: ", ")
        let named = request.message.metadata?["skill"]?.stringValue ?? request.metadata?["skill"]?.stringValue
        if let named {
            if let skill = served.first(where: { $0.id == named }) { return .success(skill) }
            return .failure(.badInput("agent \(agent.name) has no skill '\(named)'; its skills: \(names)"))
        }
        if served.count == 1 { return .success(served[0]) }
        if served.isEmpty { return .failure(.badInput("agent \(agent.name) serves no worker skill")) }
        return .failure(
            .badInput("agent \(agent.name) has several skills; name one in the message metadata 'skill': \(names)"))
    }
}
