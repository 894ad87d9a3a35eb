import A2A
import A2AClient
import A2AServer
import AsyncHTTPClient
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import NIOCore
import NIOHTTP1
import Testing

/// A conformance agent host on a free loopback port, quiet in the test log.
func makeConformanceHost(
    streamingTimeout: Double = 0.5, limits: A2ALimits = A2ALimits(), publicURL: String? = nil
) -> AgentHost {
    let configuration = AgentHostConfiguration(
        name: "conformance-test", port: 0, publicURL: publicURL, limits: limits, logLevel: .critical)
    return buildAgentHost(
        card: ConformanceAgent.card, executor: ConformanceAgent(streamingTimeout: streamingTimeout),
        configuration: configuration)
}

/// Runs `host` for the duration of `body`, which gets its base URL (`http://127.0.0.1:<port>`).
///
/// The application runs without signal handlers (unlike ``AgentHost/run()``), so tests can run side by side.
func withRunningHost<Result: Sendable>(
    _ host: AgentHost, _ body: (String) async throws -> Result
) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await host.application.run() }
        do {
            let port = try #require(try await runningPorts(of: [host]).first)
            let result = try await body("http://127.0.0.1:\(port)")
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Runs a conformance agent and hands `body` a client for one binding, made from the agent's card.
func withConformanceAgent<Result: Sendable>(
    binding: ProtocolBinding, streamingTimeout: Double = 0.5, _ body: (A2AClient) async throws -> Result
) async throws -> Result {
    try await withRunningHost(makeConformanceHost(streamingTimeout: streamingTimeout)) { base in
        let client = try await A2AClient.connect(
            to: base, configuration: A2AClientConfiguration(preferredBindings: [binding], timeout: .seconds(20)))
        try #require(client.endpoint.binding == binding)
        return try await body(client)
    }
}

/// A user message with a text part; the messageId selects the conformance agent's scenario.
func userMessage(_ messageId: String, text: String = "hello", taskId: String? = nil, contextId: String? = nil) -> Message {
    Message(messageId: messageId, contextId: contextId, taskId: taskId, role: .user, parts: [.text(text)])
}

/// A messageId with the scenario prefix, unique per call.
func scenarioID(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.lowercased())"
}

extension A2AClient {
    /// Sends a message and returns the task it produced, failing the test if the agent answered with a message.
    func sendForTask(_ message: Message) async throws -> A2ATask {
        let response = try await sendMessage(SendMessageRequest(message: message))
        guard case .task(let task) = response else {
            Issue.record("expected a task, got \(response)")
            throw A2AError(.internalError, "expected a task")
        }
        return task
    }

    /// Sends a streaming message and collects every event until the agent closes the stream.
    func streamAll(_ message: Message) async throws -> [StreamResponse] {
        var events: [StreamResponse] = []
        for try await event in try await sendStreamingMessage(SendMessageRequest(message: message)) {
            events.append(event)
        }
        return events
    }
}

/// A short, comparable description of a stream event.
func summary(_ event: StreamResponse) -> String {
    switch event {
    case .task(let task): "task:\(task.status.state.rawValue)"
    case .message(let message): "message:\(message.text)"
    case .statusUpdate(let update): "status:\(update.status.state.rawValue)"
    case .artifactUpdate(let update): "artifact:\(update.artifact.parts.compactMap(\.text).joined())"
    }
}

/// The artifact updates of a stream, in order.
func artifactUpdates(_ events: [StreamResponse]) -> [TaskArtifactUpdateEvent] {
    events.compactMap {
        if case .artifactUpdate(let update) = $0 { return update }
        return nil
    }
}

/// A plain HTTP exchange with a running host, for the routes A2AClient does not cover.
struct RawResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: Data

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
    }
}

func rawRequest(
    _ url: String, method: HTTPMethod = .GET, headers: [(String, String)] = [], body: HTTPClientRequest.Body? = nil
) async throws -> RawResponse {
    var request = HTTPClientRequest(url: url)
    request.method = method
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = body }
    let response = try await A2AClient.defaultHTTPClient.execute(request, timeout: .seconds(10))
    var buffer = try await response.body.collect(upTo: 1 << 20)
    return RawResponse(
        status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
        body: buffer.readData(length: buffer.readableBytes) ?? Data())
}

/// The AgentCore `/ping` answer.
struct PingAnswer: Decodable, Equatable {
    var status: String
    var time_of_last_update: Int
}

func ping(_ base: String) async throws -> PingAnswer {
    let response = try await rawRequest(base + "/ping")
    #expect(response.status == 200)
    #expect(response.header("Content-Type") == "application/json")
    return try JSONDecoder().decode(PingAnswer.self, from: response.body)
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
