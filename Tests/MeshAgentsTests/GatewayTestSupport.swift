import A2A
import A2AClient
import AsyncHTTPClient
import Foundation
import Logging
import MeshAgents
import MeshRuntime
import MeshTesting
import NIOCore
import Redis
import Synchronization
import Testing

/// A gateway running on a free loopback port for one test.
struct RunningGateway: Sendable {
    let baseURL: String
    let gateway: LLMGateway

    func a2aClient() async throws -> A2AClient {
        try await A2AClient.connect(to: baseURL, configuration: A2AClientConfiguration(timeout: .seconds(20)))
    }

    /// POSTs JSON to `path` and returns the status and body text.
    func post(_ path: String, _ json: String, headers: [(String, String)] = []) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 8 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    func get(_ path: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: baseURL + path), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 8 << 20))
    }
}

/// Runs a gateway configured by `environment` (as `mesh gateway` reads it) for the duration of `body`.
func withGateway<Result: Sendable>(
    environment: [String: String], redis: RedisServer? = nil, logger: Logger? = nil,
    _ body: (RunningGateway) async throws -> Result
) async throws -> Result {
    let configuration = try GatewayConfiguration.fromEnvironment(environment)
    var storage: RedisStorage?
    if let redis {
        storage = try await RedisStorage.connect(configuration: try RedisConfiguration.load(url: redis.url), agent: "llm-gateway")
    }
    let (host, gateway) = try buildGatewayHost(
        host: AgentHostConfiguration(name: "llm-gateway", port: 0, logLevel: .critical), gateway: configuration,
        redis: storage, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await host.application.run() }
        defer { group.cancelAll() }
        // Bounded: a server that fails to bind never reports a port.
        let port = try #require(try await runningPorts(of: [host]).first)
        return try await body(RunningGateway(baseURL: "http://127.0.0.1:\(port)", gateway: gateway))
    }
}

/// A user message with one part, billed to `agent`.
func generateMessage(_ part: Part, agent: String = "worker-a", task: String? = nil) -> Message {
    var metadata: JSONObject = ["agent": .string(agent)]
    if let task { metadata["task"] = .string(task) }
    return Message(messageId: UUID().uuidString, role: .user, parts: [part], metadata: metadata)
}

/// The `data:` payloads of an SSE body, in order.
func sseData(_ body: String) -> [String] {
    body.components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
}

func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
}

/// A log handler that keeps every rendered line, to check what the gateway logs.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    var logger: Logger {
        var logger = Logger(label: "gateway-test") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }
}
