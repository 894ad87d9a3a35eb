import A2A
import A2AServer
import Foundation

/// The agent the A2A conformance kit (TCK 1.0) tests: behaviour is chosen by the messageId prefix,
/// exactly as the kit's scenarios describe; any other message is echoed as an artifact.
public struct ConformanceAgent: AgentExecutor {
    /// `TCK_STREAMING_TIMEOUT` in seconds; long-running tasks last twice as long.
    public let streamingTimeout: Double

    public init(streamingTimeout: Double = 2.0) {
        self.streamingTimeout = streamingTimeout
    }

    /// Reads `TCK_STREAMING_TIMEOUT` from the environment (default 2 s).
    public init(environment: [String: String]) {
        self.init(streamingTimeout: environment["TCK_STREAMING_TIMEOUT"].flatMap(Double.init) ?? 2.0)
    }

    public nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        let id = request.message.messageId
        guard let scenario = Scenario.allCases.first(where: { id.hasPrefix($0.rawValue) }) else {
            try await echo(request, updater)
            return
        }
        try await run(scenario, updater)
    }

    private nonisolated(nonsending) func echo(_ request: AgentRequest, _ updater: TaskUpdater) async throws {
        try await updater.addArtifact(request.message.parts.filter { $0.text != nil }.isEmpty ? request.message.parts : [.text(request.message.text)], name: "echo")
        try await updater.complete()
    }

    // Listed most specific first: prefixes such as `tck-artifact-file` and `tck-artifact-file-url` overlap.
    enum Scenario: String, CaseIterable {
        case streamArtifactChunked = "tck-stream-artifact-chunked"
        case streamArtifactText = "tck-stream-artifact-text"
        case streamArtifactFile = "tck-stream-artifact-file"
        case streamOrdering = "tck-stream-ordering-001"
        case stream001 = "tck-stream-001"
        case stream002 = "tck-stream-002"
        case stream003 = "tck-stream-003"
        case resubscribe = "test-resubscribe-message-id"
        case completeTask = "tck-complete-task"
        case artifactText = "tck-artifact-text"
        case artifactFileURL = "tck-artifact-file-url"
        case artifactFile = "tck-artifact-file"
        case artifactData = "tck-artifact-data"
        case messageResponse = "tck-message-response"
        case inputRequired = "tck-input-required"
        case rejectTask = "tck-reject-task"
    }

    private nonisolated(nonsending) func run(_ scenario: Scenario, _ updater: TaskUpdater) async throws {
        let textFile = Part(.raw(Data("tck".utf8)), filename: "output.txt", mediaType: "text/plain")
        switch scenario {
        case .completeTask:
            try await updater.complete(updater.agentMessage("Hello from TCK"))
        case .artifactText:
            try await updater.addArtifact([.text("Generated text content")])
            try await updater.complete()
        case .artifactFile:
            try await updater.addArtifact([textFile])
            try await updater.complete()
        case .artifactFileURL:
            try await updater.addArtifact([
                Part(.url("https://example.com/output.txt"), filename: "output.txt", mediaType: "text/plain")
            ])
            try await updater.complete()
        case .artifactData:
            try await updater.addArtifact([.data(["key": "value", "count": 42])])
            try await updater.complete()
        case .messageResponse:
            try await updater.reply(updater.agentMessage("Direct message response"))
        case .inputRequired:
            try await updater.requireInput(updater.agentMessage("Please provide more input"))
        case .rejectTask:
            try await updater.reject(updater.agentMessage("rejected"))
        case .stream001:
            try await streamText("Stream hello from TCK", updater)
        case .stream002:
            try await updater.complete()
        case .stream003:
            try await streamText("Stream task lifecycle", updater)
        case .streamOrdering:
            try await streamText("Ordered output", updater)
        case .streamArtifactText:
            try await streamText("Streamed text content", updater)
        case .streamArtifactFile:
            try await updater.startWork()
            try await updater.addArtifact([textFile])
            try await updater.complete()
        case .streamArtifactChunked:
            try await updater.startWork()
            let id = try await updater.addArtifact([.text("chunk-1 ")], append: false, lastChunk: false)
            try await updater.addArtifact([.text("chunk-2")], artifactId: id, append: true, lastChunk: true)
            try await updater.complete()
        case .resubscribe:
            try await updater.startWork()
            try await Task.sleep(for: .seconds(2 * streamingTimeout))
            try await updater.complete()
        }
    }

    private nonisolated(nonsending) func streamText(_ text: String, _ updater: TaskUpdater) async throws {
        try await updater.startWork()
        try await updater.addArtifact([.text(text)])
        try await updater.complete()
    }

    /// The card the conformance agent publishes (interfaces are filled in per request).
    public static var card: AgentCard { card() }

    /// The card under another name, listing `extraSkills` after its own; the agent echoes their messages.
    public static func card(name: String = "A2A Mesh conformance agent", extraSkills: [AgentSkill] = []) -> AgentCard {
        AgentCard(
            name: name,
            description: "Behaves as the A2A conformance kit (TCK 1.0) expects, keyed by messageId prefixes; echoes anything else.",
            supportedInterfaces: [],
            provider: AgentProvider(url: "https://github.com/a2a-mesh", organization: "A2A Mesh"),
            version: "1.0.0",
            capabilities: AgentCapabilities(streaming: true, pushNotifications: true, extendedAgentCard: false),
            defaultInputModes: ["text/plain", "application/json", "application/octet-stream", "*/*"],
            defaultOutputModes: ["text/plain", "application/json"],
            skills: [
                AgentSkill(
                    id: "tck", name: "TCK conformance", description: "Answers the conformance kit's scenario messages.",
                    tags: ["tck", "conformance"], examples: ["tck-complete-task-1"]),
                AgentSkill(
                    id: "echo", name: "Echo", description: "Completes the task with an artifact holding the input.",
                    tags: ["echo"], examples: ["hello"]),
            ] + extraSkills)
    }
}
