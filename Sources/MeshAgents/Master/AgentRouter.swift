import A2A
import Discovery
import Synchronization

/// Picks the agent for a step without asking anyone: live agents whose card has the skill (by id or tag),
/// fewest tasks in flight from this master first, ties broken round-robin per skill.
public final class AgentRouter: Sendable {
    private struct State {
        var inFlight: [String: Int] = [:]
        var turns: [String: Int] = [:]
    }

    let directory: AgentDirectory
    /// The master's own card URL, never a target.
    let ownCardURL: @Sendable () -> String?
    private let state = Mutex(State())

    init(directory: AgentDirectory, ownCardURL: @escaping @Sendable () -> String?) {
        self.directory = directory
        self.ownCardURL = ownCardURL
    }

    /// Live agents that offer `skill` as a skill id or tag, in the directory's (name) order.
    public func candidates(for skill: String) -> [AgentRecord] {
        let own = ownCardURL()
        return directory.agents().filter { record in
            guard let card = record.card, record.cardURL != own else { return false }
            return card.skills.contains { $0.id == skill || $0.tags.contains(skill) }
        }
    }

    /// The agent for the next attempt at `skill`; agents in `avoiding` (they failed this step) only when no
    /// other has the skill. Nil when no live agent has it.
    public func pick(_ skill: String, avoiding: Set<String> = []) -> AgentRecord? {
        let all = candidates(for: skill)
        let fresh = all.filter { !avoiding.contains($0.cardURL) }
        let pool = fresh.isEmpty ? all : fresh
        guard !pool.isEmpty else { return nil }
        return state.withLock { state in
            let least = pool.map { state.inFlight[$0.cardURL, default: 0] }.min()!
            let tied = pool.filter { state.inFlight[$0.cardURL, default: 0] == least }
            let turn = state.turns[skill, default: 0]
            state.turns[skill] = turn &+ 1
            let chosen = tied[turn % tied.count]
            state.inFlight[chosen.cardURL, default: 0] += 1
            return chosen
        }
    }

    /// Ends one in-flight task on `cardURL` that ``pick(_:avoiding:)`` counted.
    public func finished(_ cardURL: String) {
        state.withLock { state in
            let count = state.inFlight[cardURL, default: 0] - 1
            state.inFlight[cardURL] = count > 0 ? count : nil
        }
    }

    /// Tasks in flight per card URL from this master.
    public var inFlight: [String: Int] { state.withLock { $0.inFlight } }

    /// Routes around an agent that refused a connection until the directory sees it again.
    public func markDown(_ cardURL: String) {
        directory.markDown(cardURL: cardURL)
    }
}
