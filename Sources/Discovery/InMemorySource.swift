import Synchronization

/// A source whose list is set by its owner: the in-memory twin of the other sources, and the place a
/// push-based feed (such as an mDNS browser loop) records what it saw for the directory to pick up.
public final class InMemorySource: DirectorySource {
    public let kind: AgentSource
    private let agents = Mutex<[String: SourcedAgent]>([:])

    public init(kind: AgentSource, agents: [SourcedAgent] = []) {
        self.kind = kind
        self.agents.withLock { state in for agent in agents { state[agent.cardURL] = agent } }
    }

    /// Lists `agent` (or updates its name).
    public func add(_ agent: SourcedAgent) {
        agents.withLock { $0[agent.cardURL] = agent }
    }

    /// Withdraws every entry with this advertised name.
    public func remove(name: String) {
        agents.withLock { state in state = state.filter { $0.value.name != name } }
    }

    /// Withdraws the entry for this card URL.
    public func remove(cardURL: String) {
        _ = agents.withLock { $0.removeValue(forKey: cardURL) }
    }

    public func currentAgents() async throws -> [SourcedAgent] {
        agents.withLock { Array($0.values) }
    }
}
