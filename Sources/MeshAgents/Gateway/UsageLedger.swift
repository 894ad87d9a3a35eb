import CoreMetrics
import Foundation
import Logging
import Prometheus
import Redis

/// Who a generation is billed to: the calling agent and, when known, its A2A task.
public struct UsageScope: Sendable, Hashable {
    public var agent: String
    public var task: String?

    public init(agent: String, task: String? = nil) {
        self.agent = agent.isEmpty ? "anonymous" : agent
        self.task = task.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Token accounting: `HINCRBY` in Redis per agent, task and model, and swift-metrics counters that
/// `GET /metrics` exports in Prometheus text.
///
/// Redis keys (fields `input_tokens`, `output_tokens`, `requests`):
/// `<prefix>llm:usage:agent:<agent>`, `<prefix>llm:usage:model:<model>` and
/// `<prefix>llm:usage:task:{<task>}` (a hash tag, as for every per-task key; it expires after a week).
public final class UsageLedger: Sendable {
    /// The registry `/metrics` renders: the gateway host's own (``MeshMetrics/registry``), so tests in one process
    /// stay apart and the token counters appear beside the host's request metrics.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let redis: (any RedisCommandRunner)?
    let keyPrefix: String
    let logger: Logger
    static let taskKeyLifetime = 7 * 24 * 3600

    public init(
        redis: (any RedisCommandRunner)?, keyPrefix: String = "mesh:", logger: Logger,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    ) {
        self.registry = registry
        factory = PrometheusMetricsFactory(registry: registry)
        self.redis = redis
        self.keyPrefix = keyPrefix
        self.logger = logger
    }

    public func agentKey(_ agent: String) -> String { "\(keyPrefix)llm:usage:agent:\(agent)" }
    public func modelKey(_ model: String) -> String { "\(keyPrefix)llm:usage:model:\(model)" }
    public func taskKey(_ task: String) -> String { "\(keyPrefix)llm:usage:task:{\(task)}" }

    /// Records one answered generation. A Redis failure is logged, never thrown: the caller has its answer.
    func record(_ response: LLMResponse, scope: UsageScope) async {
        let dimensions = [("provider", response.provider), ("model", response.model), ("agent", scope.agent)]
        Counter(
            label: "llm_requests_total", dimensions: dimensions + [("cached", String(response.cached))],
            factory: factory
        )
        .increment()
        // A cached answer cost nothing, so it is not counted as tokens.
        guard !response.cached else { return }
        Counter(label: "llm_tokens_total", dimensions: dimensions + [("direction", "input")], factory: factory)
            .increment(by: response.usage.inputTokens)
        Counter(label: "llm_tokens_total", dimensions: dimensions + [("direction", "output")], factory: factory)
            .increment(by: response.usage.outputTokens)
        guard let redis else { return }
        var keys = [agentKey(scope.agent), modelKey(response.model)]
        if let task = scope.task { keys.append(taskKey(task)) }
        var commands: [RedisCommand] = keys.flatMap { key in
            [
                RedisCommand(
                    "HINCRBY", [RedisArgument(key), "input_tokens", RedisArgument(response.usage.inputTokens)]),
                RedisCommand(
                    "HINCRBY", [RedisArgument(key), "output_tokens", RedisArgument(response.usage.outputTokens)]),
                RedisCommand("HINCRBY", [RedisArgument(key), "requests", 1]),
            ]
        }
        if let task = scope.task {
            commands.append(
                RedisCommand("EXPIRE", [RedisArgument(taskKey(task)), RedisArgument(Self.taskKeyLifetime)]))
        }
        do {
            _ = try await redis.pipeline(commands)
        } catch {
            logger.warning(
                "token usage not written to Redis", metadata: ["error": "\(error)", "agent": "\(scope.agent)"])
        }
    }

    /// Counts one provider attempt by outcome (`ok`, `retry`, `failed`), for dashboards of provider health.
    func countAttempt(provider: String, outcome: String) {
        Counter(
            label: "llm_provider_attempts_total", dimensions: [("provider", provider), ("outcome", outcome)],
            factory: factory
        )
        .increment()
    }

    /// The metrics in Prometheus text format.
    public func prometheusText() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
