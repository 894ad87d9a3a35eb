import A2A
@testable import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// An executor whose behaviour is picked by the message text, for server tests.
struct ScriptedExecutor: AgentExecutor {
    func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        let text = request.message.text
        switch text {
        case "reply": try await updater.reply(updater.agentMessage("direct"))
        case "ask": try await updater.requireInput(updater.agentMessage("need more"))
        case "slow":
            try await updater.startWork()
            try await Task.sleep(for: .seconds(30))
            try await updater.complete()
        case "throw": throw ScriptError()
        case "refuse": throw A2AError(.unsupportedOperation, "refused by the agent")
        case "nothing": return
        case "chunks":
            try await updater.startWork()
            let id = try await updater.addArtifact([.text("a")], name: "doc")
            try await updater.addArtifact([.text("b")], artifactId: id, append: true)
            try await updater.addArtifact([.text("c")], artifactId: id, append: true, lastChunk: true)
            try await updater.complete()
        default:
            if !request.isNewTask {
                try await updater.addArtifact([.text("follow-up: \(text)")])
                try await updater.complete()
                return
            }
            try await updater.startWork()
            try await updater.addArtifact([.text(text)], name: "echo")
            try await updater.complete(updater.agentMessage("done"))
        }
    }
}

struct ScriptError: Error, CustomStringConvertible {
    var description: String { "script exploded" }
}

/// A server under test: the A2A routes on a router, with the runner and push sender as services.
struct TestAgent {
    let handler: A2ARequestHandler
    let app: Application<RouterResponder<BasicRequestContext>>
    let pushSender: PushNotificationSender

    init(
        capabilities: AgentCapabilities = AgentCapabilities(streaming: true, pushNotifications: true),
        store: any TaskStore = InMemoryTaskStore(), limits: A2ALimits = A2ALimits(),
        retry: PushNotificationSender.RetryPolicy = .init(maxAttempts: 3, initialBackoff: .milliseconds(20)),
        inputModes: [String] = ["text/plain", "application/json"],
        // The tests' webhooks listen on 127.0.0.1, which the default guard refuses: allowed here on purpose.
        webhookGuard: WebhookGuard = .allowingPrivateNetworks, signingSecret: String? = nil,
        deadLetters: (any WebhookDeadLetters)? = nil
    ) {
        let card = AgentCard(
            name: "test", description: "test agent", supportedInterfaces: [], version: "1.0.0",
            capabilities: capabilities,
            defaultInputModes: inputModes, defaultOutputModes: ["text/plain"],
            skills: [AgentSkill(id: "echo", name: "Echo", description: "echo", tags: ["echo"])])
        let runner = AgentRunner()
        pushSender = PushNotificationSender(
            policy: retry, guardrail: webhookGuard, signingSecret: signingSecret, deadLetters: deadLetters)
        handler = A2ARequestHandler(
            card: card, executor: ScriptedExecutor(), store: store, pushConfigs: InMemoryPushConfigStore(),
            pushSender: pushSender, runner: runner, limits: limits)
        let router = Router()
        A2ARoutes(
            handler: handler,
            cardPublisher: AgentCardPublisher(template: card, publicURL: nil, fallbackHost: "127.0.0.1:1")
        ).add(to: router)
        app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            services: [runner, pushSender])
    }
}

let a2aHeaders: HTTPFields = [.contentType: "application/json", HTTPField.Name("A2A-Version")!: "1.0"]

extension TestClientProtocol {
    /// Calls a JSON-RPC method and returns the decoded response.
    func rpc<Result: Codable & Sendable>(
        _ method: String, _ params: JSONValue?, as: Result.Type, headers: HTTPFields = a2aHeaders
    ) async throws -> JSONRPCResponse<Result> {
        let body: JSONValue = ["jsonrpc": "2.0", "id": 7, "method": .string(method), "params": params ?? .null]
        return try await execute(
            uri: "/", method: .post, headers: headers, body: ByteBuffer(bytes: try A2AJSON.encode(body))
        ) {
            response in
            #expect(response.status == .ok)
            return try A2AJSON.decode(JSONRPCResponse<Result>.self, from: Data(buffer: response.body))
        }
    }

    /// Sends a text message and returns the task it produced.
    func send(
        _ text: String, messageID: String = UUID().uuidString, extra: JSONObject = [:], configuration: JSONValue? = nil
    )
        async throws -> JSONRPCResponse<SendMessageResponse>
    {
        var message: JSONObject = [
            "messageId": .string(messageID), "role": "ROLE_USER", "parts": [["text": .string(text)]],
        ]
        message.merge(extra) { _, new in new }
        var params: JSONObject = ["message": .object(message)]
        if let configuration { params["configuration"] = configuration }
        return try await rpc("SendMessage", .object(params), as: SendMessageResponse.self)
    }

    func sendTask(_ text: String, extra: JSONObject = [:], configuration: JSONValue? = nil) async throws -> A2ATask {
        let response = try await send(text, extra: extra, configuration: configuration)
        guard case .task(let task) = response.result else {
            throw A2AError(
                .internalError,
                "expected a task, got \(String(describing: response.result)) \(String(describing: response.error))")
        }
        return task
    }
}

/// The `data:` payloads of an SSE body.
func sseEvents(_ buffer: ByteBuffer) -> [Data] {
    String(buffer: buffer).split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { Data($0.dropFirst(6).utf8) }
}

extension Data {
    init(buffer: ByteBuffer) { self.init(buffer.readableBytesView) }
}
