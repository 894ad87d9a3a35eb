import A2A
import A2AClient
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import Testing

/// The shipped agent files, loaded as `mesh agent` loads them.
func shippedAgent(_ name: String) throws -> AgentDefinition {
    let path = try TestEnvironment.packageRoot().appendingPathComponent("mesh.yaml").path
    let mesh = try MeshConfiguration.load(path: path, environment: [:])
    return try #require(mesh.agent(name), "\(name) is not in mesh.yaml")
}

/// The sample corpus in `knowledge/`, ingested into `memory`.
func ingestSampleCorpus(into memory: any SharedMemory) async throws {
    let directory = try TestEnvironment.packageRoot().appendingPathComponent("knowledge").path
    let ingest = KnowledgeIngest(memory: memory)
    for file in try KnowledgeIngest.files(in: [directory]) { _ = try await ingest.ingest(file: file) }
}

/// A worker on a free loopback port, reached through an A2A client.
struct RunningWorker: Sendable {
    let client: A2AClient
    let baseURL: String

    /// Sends `text` (or no parts when nil) in `contextId` and returns the task it produced.
    func send(
        _ text: String?, contextId: String, skill: String? = nil, data: JSONValue? = nil
    ) async throws -> A2ATask {
        var parts: [Part] = text.map { [.text($0)] } ?? []
        if let data { parts.append(.data(data)) }
        let message = Message(
            messageId: UUID().uuidString, contextId: contextId, role: .user, parts: parts,
            metadata: skill.map { ["skill": .string($0)] })
        let answer = try await client.sendMessage(SendMessageRequest(message: message))
        guard case .task(let task) = answer else {
            Issue.record("expected a task, got \(answer)")
            throw CancellationError()
        }
        return task
    }
}

/// Runs `agent` as a worker with `memory` and the gateway at `gatewayURL` for the duration of `body`.
func withWorker<Result: Sendable>(
    _ agent: AgentDefinition, memory: any SharedMemory, gatewayURL: String? = nil,
    _ body: (RunningWorker) async throws -> Result
) async throws -> Result {
    let (host, _) = buildWorkerHost(
        agent: agent, host: AgentHostConfiguration(name: agent.name, port: 0, logLevel: .critical), memory: memory,
        llmGatewayURL: gatewayURL)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await host.application.run() }
        let port = await host.waitUntilRunning()
        defer { group.cancelAll() }
        let baseURL = "http://127.0.0.1:\(port)"
        let client = try await A2AClient.connect(
            to: baseURL, configuration: A2AClientConfiguration(timeout: .seconds(20)))
        return try await body(RunningWorker(client: client, baseURL: baseURL))
    }
}

extension A2ATask {
    /// The text of every text part of every artifact.
    var artifactText: String {
        (artifacts ?? []).flatMap(\.parts).compactMap(\.text).joined(separator: "\n")
    }

    /// The first data part of any artifact, as an object.
    var artifactData: JSONObject? {
        (artifacts ?? []).flatMap(\.parts).lazy.compactMap { part -> JSONObject? in
            if case .data(let value) = part.content { return value.objectValue }
            return nil
        }.first
    }

    /// The text of the status message.
    var statusText: String { status.message?.text ?? "" }
}

/// A worker definition with one skill of `settings`' kind, for kinds the shipped files do not use.
func testAgent(_ settings: SkillSettings, id: String = "forward", extra: [SkillDefinition] = []) -> AgentDefinition {
    AgentDefinition(
        name: "test-worker", description: "A worker for tests.", port: 0,
        skills: [SkillDefinition(id: id, name: id, description: "A skill for tests.", settings: settings)] + extra)
}
