import A2A
import Discovery
import Foundation
import MeshRuntime
import Testing

@Suite("Configuration: the shipped mesh.yaml and agents/")
struct ConfigurationShippedTests {
    let mesh: MeshConfiguration

    init() throws {
        mesh = try MeshConfiguration.load(path: try shippedMeshFile(), environment: [:])
    }

    @Test func meshDiscoveryRedisAndProviders() {
        #expect(mesh.name == "demo")
        #expect(mesh.keyPrefix == "mesh:")
        #expect(mesh.discovery.modes == [.mdns])
        #expect(mesh.discovery.registry.endpoint == "http://127.0.0.1:7400")
        #expect(mesh.discovery.registry.namespace == "mesh.local")
        #expect(mesh.discovery.registry.service == "agents")
        #expect(mesh.discovery.staticURLs.isEmpty)
        #expect(mesh.redis == nil, "an empty redis.url means `mesh up` starts a local redis-server")
        #expect(mesh.llmProviders == [LLMProviderSettings(kind: .offline)])
        #expect(mesh.auth.apiKeys.isEmpty && mesh.auth.jwt.jwksURL.isEmpty)
        #expect(mesh.warnings.isEmpty)
    }

    @Test func agentsPortsAndReplicas() {
        #expect(mesh.agents.map(\.name) == ["master", "llm-gateway", "worker-a", "worker-b", "worker-c", "worker-d"])
        #expect(mesh.agents.map(\.replicas) == [1, 1, 1, 2, 1, 1])
        #expect(mesh.agentDefinitions.map(\.port) == [8000, 7000, 5001, 5002, 5003, 5004])
        let skills = mesh.agentDefinitions.map { $0.skills.map { "\($0.id):\($0.kind.rawValue)" } }
        #expect(
            skills == [
                ["orchestrate:orchestrate"], ["llm.generate:gateway"], ["plan:llm"], ["retrieve:retrieve"],
                ["evaluate:evaluate"], ["finalize:finalize"],
            ])
    }

    @Test func defaultPipelineImprovesFromEvaluateToPlan() throws {
        let pipeline = try #require(mesh.defaultPipeline)
        #expect(pipeline.steps == ["plan", "retrieve", "evaluate", "finalize"])
        #expect(pipeline.improve == .init(from: "evaluate", to: "plan", threshold: 0.7, maxRounds: 2))
        #expect(Array(mesh.pipelines.keys) == ["default"])
    }

    @Test func skillSettingsAreTyped() throws {
        guard case .llm(let plan) = try #require(mesh.agent("worker-a")?.skill("plan")).settings else {
            Issue.record("plan is not an llm skill")
            return
        }
        #expect(plan.prompt.contains("{{input}}") && plan.prompt.contains("{{memory}}"))
        #expect(plan.temperature == 0.2)
        #expect(plan.render(input: "Q?", memory: "M.").contains("Q?\n"))
        #expect(mesh.agent("worker-b")?.skill("retrieve")?.settings == .retrieve(.init(topK: 5)))
        guard case .evaluate(let evaluate) = try #require(mesh.agent("worker-c")?.skill("evaluate")).settings else {
            Issue.record("evaluate is not an evaluate skill")
            return
        }
        #expect(evaluate.threshold == 0.7 && evaluate.judge == .rubric && evaluate.rubric.count >= 3)
        #expect(mesh.agent("worker-d")?.skill("finalize")?.settings == .finalize(.init(format: .markdown)))
    }

    @Test func workerBCardMatchesDesign() throws {
        let card = try #require(mesh.agent("worker-b")).card()
        #expect(card.name == "worker-b")
        #expect(card.description == "Finds the passages of the shared knowledge base that answer a question.")
        #expect(card.version == "1.0.0")
        #expect(card.supportedInterfaces.isEmpty, "the card publisher fills interfaces in per request")
        #expect(card.capabilities.streaming == true && card.capabilities.pushNotifications == true)
        #expect(
            card.skills == [
                AgentSkill(
                    id: "retrieve", name: "Retrieve", description: "Ranks knowledge-base chunks for a query (BM25).",
                    tags: ["search", "knowledge"], examples: ["What is an agent card?"])
            ])
    }

    @Test func cardsEncodeAsA2AJSON() throws {
        for definition in mesh.agentDefinitions {
            let json = String(decoding: try A2AJSON.encode(definition.card()), as: UTF8.self)
            for skill in definition.skills { #expect(json.contains("\"id\":\"\(skill.id)\"")) }
            let decoded = try A2AJSON.makeDecoder().decode(AgentCard.self, from: Data(json.utf8))
            #expect(decoded == definition.card())
        }
        let finalize = try #require(mesh.agent("worker-d")?.card().skills.first)
        #expect(finalize.outputModes == ["text/markdown"])
    }

    @Test func summaryListsAgentsAndPipelines() {
        let summary = mesh.summary
        #expect(summary.contains("worker-b     5002  x2        retrieve (retrieve)"))
        #expect(summary.contains("default: plan -> retrieve -> evaluate -> finalize"))
        #expect(summary.contains("redis: none configured"))
    }
}
