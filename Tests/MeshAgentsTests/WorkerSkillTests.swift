import A2A
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import Testing

/// Skill selection, and the `http` kind against a live test server.
@Suite struct WorkerSkillTests {
    static let twoSkills = testAgent(
        .finalize(FinalizeSkillSettings(title: "Report")), id: "finalize",
        extra: [
            SkillDefinition(
                id: "retrieve", name: "Retrieve", description: "Ranks passages.", settings: .retrieve(.init(topK: 2))),
            SkillDefinition(
                id: "orchestrate", name: "Orchestrate", description: "Reserved.", settings: .orchestrate([:])),
        ])

    @Test func theSkillComesFromMetadataOrIsTheOnlyOne() async throws {
        let memory = InMemorySharedMemory()
        try await withWorker(Self.twoSkills, memory: memory) { worker in
            let named = try await worker.send("A draft.", contextId: "ctx-1", skill: "finalize")
            #expect(named.status.state == .completed)
            #expect(named.artifactText.hasPrefix("# Report\n\nA draft."))

            let unnamed = try await worker.send("A draft.", contextId: "ctx-2")
            #expect(unnamed.status.state == .rejected)
            #expect(unnamed.statusText.contains("several skills") && unnamed.statusText.contains("finalize, retrieve"))

            let unknown = try await worker.send("A draft.", contextId: "ctx-3", skill: "orchestrate")
            #expect(unknown.status.state == .rejected)
            #expect(unknown.statusText.contains("has no skill 'orchestrate'"), "\(unknown.statusText)")
        }
        try await withWorker(try shippedAgent("worker-d"), memory: memory) { worker in
            let only = try await worker.send("A draft without a plan.", contextId: "ctx-4")
            #expect(only.status.state == .completed)
            #expect(try await memory.read(context: "ctx-4", name: "final") != nil)
        }
    }

    @Test func theWorkerServesItsDefinitionsCard() async throws {
        try await withWorker(try shippedAgent("worker-b"), memory: InMemorySharedMemory()) { worker in
            let card = try #require(worker.client.card)
            #expect(card.name == "worker-b")
            #expect(card.skills.map(\.id) == ["retrieve"])
        }
    }

    @Test func httpForwardsTheInputAndReturnsTheBody() async throws {
        try await HTTPTestServer.withServer(respond: { request in
            .json(#"{"echo":\#(request.text.count)}"#)
        }) { server in
            let agent = testAgent(
                .http(HTTPSkillSettings(url: server.baseURL + "/hook", method: "PUT", timeoutSeconds: 5)))
            let memory = InMemorySharedMemory()
            let task = try await withWorker(agent, memory: memory) { try await $0.send("hello", contextId: "ctx-h") }
            #expect(task.status.state == .completed, "\(task.statusText)")
            #expect(task.artifactText == #"{"echo":5}"#)
            #expect(task.artifacts?.first?.parts.first?.mediaType == "application/json")
            let received = try #require(server.requests.first)
            #expect(received.method == "PUT" && received.uri == "/hook" && received.text == "hello")
            #expect(try await memory.read(context: "ctx-h", name: "forward")?.objectValue?["status"] == 200)
        }
    }

    @Test func anHTTPErrorStatusFailsTheTaskNamingStatusAndURL() async throws {
        try await HTTPTestServer.withServer(respond: { _ in .json(#"{"error":"boom"}"#, status: 500) }) { server in
            let url = server.baseURL + "/hook"
            let agent = testAgent(.http(HTTPSkillSettings(url: url, timeoutSeconds: 5)))
            let task = try await withWorker(agent, memory: InMemorySharedMemory()) {
                try await $0.send("hello", contextId: "c")
            }
            #expect(task.status.state == .failed)
            #expect(task.statusText.contains("POST \(url) answered 500"), "\(task.statusText)")
        }
    }

    @Test func anUnreachableHTTPTargetFailsAndEmptyInputIsRejected() async throws {
        let url = "http://127.0.0.1:\(try freeLoopbackPort())/hook"
        let agent = testAgent(.http(HTTPSkillSettings(url: url, timeoutSeconds: 5)))
        try await withWorker(agent, memory: InMemorySharedMemory()) { worker in
            let down = try await worker.send("hello", contextId: "c")
            #expect(down.status.state == .failed)
            #expect(down.statusText.contains(url))
            let empty = try await worker.send("", contextId: "c")
            #expect(empty.status.state == .rejected)
        }
    }
}
