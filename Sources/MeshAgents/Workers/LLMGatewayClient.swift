import A2AClient
import AsyncHTTPClient
import Discovery
import Foundation
import MeshTracing
import NIOCore
import Synchronization

/// How workers reach the llm-gateway: its `POST /v1/chat/completions`, at a fixed URL (`LLM_GATEWAY_URL`,
/// `mesh.llmGatewayURL`) or at whichever live agent the directory lists with the skill `llm.generate`.
///
/// The directory is attached after the agent host is built, because the host owns it.
public final class LLMGatewayClient: Sendable {
    /// One chat turn.
    public struct Turn: Sendable, Codable, Hashable {
        public var role: String
        public var content: String

        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }
    }

    /// The gateway's base URL when it is fixed.
    public let fixedURL: String?
    let httpClient: HTTPClient
    let timeout: Duration
    private let directory = Mutex<AgentDirectory?>(nil)
    private let peerHeaders = Mutex<(@Sendable () -> [(name: String, value: String)])?>(nil)

    /// The default HTTP client fails a refused connection at once instead of retrying it until the deadline, so
    /// a gateway that is down fails the task quickly.
    public init(url: String?, httpClient: HTTPClient = A2AClient.defaultHTTPClient, timeout: Duration = .seconds(120)) {
        self.fixedURL = url.flatMap { $0.isEmpty ? nil : String($0.trimmingSuffix("/")) }
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// Lets the client find the gateway through `directory` when no URL is fixed.
    public func attach(directory: AgentDirectory?) {
        self.directory.withLock { $0 = directory }
    }

    /// Sends `headers` (the worker's mesh token) with every call, as a gateway with a mesh key requires.
    public func attach(headers: (@Sendable () -> [(name: String, value: String)])?) {
        peerHeaders.withLock { $0 = headers }
    }

    /// The gateway's base URL, or a failure that says how to configure one.
    func baseURL() throws(WorkerSkillError) -> String {
        if let fixedURL { return fixedURL }
        guard let directory = directory.withLock({ $0 }) else {
            throw .failed(
                "no llm-gateway is configured: set LLM_GATEWAY_URL, or enable discovery so one is found by skill llm.generate"
            )
        }
        guard let record = directory.agents(AgentQuery(skill: "llm.generate")).first else {
            throw .failed(
                "no live agent with skill llm.generate is in the directory; start `mesh gateway` or set LLM_GATEWAY_URL"
            )
        }
        return String(record.cardURL.trimmingSuffix("/.well-known/agent-card.json").trimmingSuffix("/"))
    }

    /// Asks the gateway to complete `turns` and returns the answer's text; `agent` and `task` are billed.
    func complete(
        _ turns: [Turn], model: String? = nil, temperature: Double? = nil, agent: String, task: String
    ) async throws(WorkerSkillError) -> String {
        let url = try baseURL() + "/v1/chat/completions"
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "X-Mesh-Agent", value: agent)
        request.headers.add(name: "X-Mesh-Task", value: task)
        for header in peerHeaders.withLock({ $0 })?() ?? [] {
            request.headers.add(name: header.name, value: header.value)
        }
        for header in MeshTrace.outgoingHeaders() { request.headers.add(name: header.name, value: header.value) }
        let body = ChatRequest(model: model, temperature: temperature, messages: turns)
        request.body = .bytes(ByteBuffer(bytes: (try? JSONEncoder().encode(body)) ?? Data()))
        let status: UInt
        let text: String
        do {
            let response = try await httpClient.execute(request, timeout: .init(timeout))
            status = response.status.code
            text = String(buffer: try await response.body.collect(upTo: 8 << 20))
        } catch {
            throw .failed("the llm-gateway at \(url) cannot be reached: \(error)")
        }
        guard (200..<300).contains(status) else {
            throw .failed("the llm-gateway at \(url) answered \(status): \(text.prefix(300))")
        }
        guard let answer = try? JSONDecoder().decode(ChatResponse.self, from: Data(text.utf8)),
            let content = answer.choices.first?.message.content
        else {
            throw .failed("the llm-gateway at \(url) answered with no completion: \(text.prefix(300))")
        }
        return content
    }

    private struct ChatRequest: Encodable {
        var model: String?
        var temperature: Double?
        var messages: [Turn]
    }

    private struct ChatResponse: Decodable {
        struct Choice: Decodable {
            struct Message: Decodable { var content: String? }
            var message: Message
        }
        var choices: [Choice]
    }
}

extension StringProtocol {
    /// The string without `suffix` at its end, if it is there.
    func trimmingSuffix(_ suffix: String) -> SubSequence {
        hasSuffix(suffix) ? dropLast(suffix.count) : self[...]
    }
}
