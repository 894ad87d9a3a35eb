import A2A
import A2AServer
import A2AClient
import AsyncHTTPClient
import MeshRuntime

/// A runnable worker: `agent`'s card and a ``WorkerExecutor`` on one ``AgentHost``.
///
/// Shared memory is `memory` when given, else Redis's when `redis` is set, else a fresh in-memory one (which
/// no other agent sees). The llm-gateway is `llmGatewayURL` when set, else found through the host's directory
/// by the skill `llm.generate`.
public func buildWorkerHost(
    agent: AgentDefinition, host configuration: AgentHostConfiguration, redis: RedisStorage? = nil,
    memory: (any SharedMemory)? = nil, llmGatewayURL: String? = nil,
    httpClient: HTTPClient = A2AClient.defaultHTTPClient
) -> (host: AgentHost, executor: WorkerExecutor) {
    let gateway = LLMGatewayClient(url: llmGatewayURL, httpClient: httpClient)
    let executor = WorkerExecutor(
        agent: agent, memory: memory ?? redis?.memory ?? InMemorySharedMemory(), gateway: gateway,
        httpClient: httpClient)
    let host = buildAgentHost(card: agent.card(), executor: executor, configuration: configuration, redis: redis)
    gateway.attach(directory: host.directory)
    if let security = configuration.security {
        gateway.attach(headers: { security.peerHeaders() })
    }
    return (host, executor)
}
