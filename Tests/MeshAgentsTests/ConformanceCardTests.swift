import A2A
import MeshAgents
import Testing

/// The conformance agent's card under another name keeps its own skills and adds the declared ones.
@Suite struct ConformanceCardTests {
    @Test func renamedCardListsExtraSkillsAfterItsOwn() {
        let extra = AgentSkill(id: "retrieve", name: "retrieve", description: "echo", tags: ["search"])
        let card = ConformanceAgent.card(name: "retriever", extraSkills: [extra])
        #expect(card.name == "retriever")
        #expect(card.skills.map(\.id) == ["tck", "echo", "retrieve"])
        #expect(ConformanceAgent.card.name == "A2A Mesh conformance agent")
    }
}
