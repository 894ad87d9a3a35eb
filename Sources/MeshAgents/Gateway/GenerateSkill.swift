import A2A
import A2AServer
import Foundation
import HTTPTypes
import Hummingbird

/// The A2A skill `llm.generate`: a text part (one user message) or a data part
/// `{messages, model, temperature, maxTokens, stream}`; answers with a `response` artifact whose metadata
/// holds the model, provider and usage. Over SendStreamingMessage the text arrives as artifact chunks.
public struct GenerateSkill: AgentExecutor {
    public let gateway: LLMGateway

    public init(gateway: LLMGateway) {
        self.gateway = gateway
    }

    public nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        let input = try Self.input(from: request)
        let scope = Self.scope(of: request)
        do {
            if input.stream {
                try await stream(input, scope: scope, updater)
            } else {
                let response = try await gateway.complete(input, scope: scope)
                try await updater.addArtifact([.text(response.text)], name: "response", metadata: Self.metadata(response))
                try await updater.updateStatus(.completed, metadata: Self.metadata(response))
            }
        } catch let error as LLMInputError {
            throw A2AError.invalidParams(error.description, field: error.field)
        } catch let error as LLMGatewayError {
            try await updater.fail(updater.agentMessage(error.description))
        }
    }

    /// Sends each delta as an appended chunk; the last chunk, marked so, carries the usage.
    private nonisolated(nonsending) func stream(_ input: LLMRequest, scope: UsageScope, _ updater: TaskUpdater) async throws {
        let events = try await gateway.stream(input, scope: scope)
        try await updater.startWork()
        let artifactId = Identifier.make()
        var held: String?
        var sent = 0
        for try await event in events {
            switch event {
            case .delta(let text):
                if let previous = held {
                    try await updater.addArtifact(
                        [.text(previous)], artifactId: artifactId, name: "response", append: sent > 0)
                    sent += 1
                }
                held = text
            case .finished(let response):
                try await updater.addArtifact(
                    [.text(held ?? "")], artifactId: artifactId, name: "response", append: sent > 0, lastChunk: true,
                    metadata: Self.metadata(response))
                try await updater.updateStatus(.completed, metadata: Self.metadata(response))
                return
            }
        }
    }

    /// What the caller asked for, or an `invalidParams` error that says which field is wrong.
    static func input(from request: AgentRequest) throws -> LLMRequest {
        let wantsStream = request.call.headers[.accept]?.contains("text/event-stream") == true
        var input: LLMRequest
        if let data = request.message.parts.lazy.compactMap({ part -> JSONObject? in
            if case .data(let value) = part.content { return value.objectValue }
            return nil
        }).first {
            input = try dataInput(data)
            if case .bool(let stream)? = data["stream"] { input.stream = stream } else { input.stream = wantsStream }
        } else {
            let text = request.message.parts.compactMap(\.text).joined(separator: "\n")
            input = LLMRequest(messages: [ChatMessage(role: .user, content: text)], stream: wantsStream)
        }
        do {
            try input.validate()
        } catch {
            throw A2AError.invalidParams(error.description, field: error.field)
        }
        return input
    }

    static func dataInput(_ data: JSONObject) throws -> LLMRequest {
        guard case .array(let list)? = data["messages"] else {
            if let prompt = data["prompt"]?.stringValue {
                return LLMRequest(messages: [ChatMessage(role: .user, content: prompt)])
            }
            throw A2AError.invalidParams("the data part needs 'messages': [{role, content}]", field: "messages")
        }
        var request = LLMRequest(messages: [])
        for (index, item) in list.enumerated() {
            guard let object = item.objectValue, let roleName = object["role"]?.stringValue,
                let content = object["content"]?.stringValue
            else {
                throw A2AError.invalidParams("messages[\(index)] needs 'role' and 'content' strings", field: "messages[\(index)]")
            }
            guard let role = ChatRole(rawValue: roleName) else {
                throw A2AError.invalidParams(
                    "messages[\(index)].role '\(roleName)' is not system, user or assistant", field: "messages[\(index)].role")
            }
            request.messages.append(ChatMessage(role: role, content: content))
        }
        if let model = data["model"], model != .null {
            guard let name = model.stringValue else { throw A2AError.invalidParams("'model' must be a string", field: "model") }
            request.model = name
        }
        if let temperature = data["temperature"], temperature != .null {
            guard let value = temperature.numberValue else {
                throw A2AError.invalidParams("'temperature' must be a number", field: "temperature")
            }
            request.temperature = value
        }
        if let maxTokens = data["maxTokens"], maxTokens != .null {
            guard let value = maxTokens.numberValue, value == value.rounded() else {
                throw A2AError.invalidParams("'maxTokens' must be a whole number", field: "maxTokens")
            }
            request.maxTokens = Int(value)
        }
        return request
    }

    /// The calling agent from the message metadata (`agent`) or `X-Mesh-Agent`; the task from the metadata
    /// (`task`, the caller's mesh task), else this A2A task.
    static func scope(of request: AgentRequest) -> UsageScope {
        let metadata = request.message.metadata ?? request.metadata ?? [:]
        let agent = metadata["agent"]?.stringValue ?? request.call.headers[HTTPField.Name("X-Mesh-Agent")!] ?? "anonymous"
        return UsageScope(agent: agent, task: metadata["task"]?.stringValue ?? request.taskId)
    }

    static func metadata(_ response: LLMResponse) -> JSONObject {
        [
            "model": .string(response.model), "provider": .string(response.provider),
            "finishReason": .string(response.finishReason), "cached": .bool(response.cached),
            "offline": .bool(response.provider == "offline"),
            "usage": [
                "inputTokens": .number(Double(response.usage.inputTokens)),
                "outputTokens": .number(Double(response.usage.outputTokens)),
            ],
        ]
    }
}
