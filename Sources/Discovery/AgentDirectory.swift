import A2A
import Foundation
import Logging
import Synchronization

/// One directory of peers merged from every source, with their cards, health and last-seen times.
///
/// Entries are keyed by card URL. ``refresh(from:)`` reconciles one source: new peers are added, listed
/// peers have their cards revalidated, and peers the source no longer lists are removed.
public final class AgentDirectory: Sendable {
    struct State {
        var records: [String: AgentRecord] = [:]
        var watchers: [UUID: AsyncStream<DirectoryChange>.Continuation] = [:]
    }

    let fetcher: CardFetcher
    /// A peer its source has not listed for this long leaves, even if the source cannot be reached.
    public let ttl: Duration
    let logger: Logger
    private let state = Mutex(State())

    public init(
        fetcher: CardFetcher = CardFetcher(), ttl: Duration = .seconds(10),
        logger: Logger = Logger(label: "mesh.discovery")
    ) {
        self.fetcher = fetcher
        self.ttl = ttl
        self.logger = logger
    }

    /// Every entry, sorted by name.
    public var records: [AgentRecord] {
        state.withLock { Array($0.records.values) }.sorted { ($0.name, $0.cardURL) < ($1.name, $1.cardURL) }
    }

    /// The entries that match `query` (by default only those not marked down).
    public func agents(_ query: AgentQuery = AgentQuery()) -> [AgentRecord] {
        records.filter(query.matches)
    }

    /// How many card fetches were answered 304 Not Modified.
    public var notModifiedCount: Int { fetcher.notModifiedCount }

    /// A stream of changes from now on; it ends when the caller stops iterating.
    public func changes() -> AsyncStream<DirectoryChange> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: DirectoryChange.self, bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        state.withLock { $0.watchers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.watchers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Marks a peer down at once, e.g. after a refused connection, so queries route around it.
    public func markDown(cardURL: String) {
        update(cardURL) { $0.health = .down }
    }

    /// Reconciles the entries of one source with what it lists now.
    public func refresh(from source: any DirectorySource) async {
        let listed: [SourcedAgent]
        do {
            listed = try await source.currentAgents()
        } catch {
            logger.warning("discovery source failed", metadata: ["source": "\(source.kind)", "error": "\(error)"])
            expire(source: source.kind)
            return
        }
        let now = Date()
        let urls = Set(listed.map(\.cardURL))
        let removed = state.withLock { state -> [AgentRecord] in
            let gone = state.records.values.filter { $0.source == source.kind && !urls.contains($0.cardURL) }
            for record in gone { state.records[record.cardURL] = nil }
            return gone
        }
        for record in removed { emit(.removed(record)) }
        for agent in listed {
            let isNew = state.withLock { state -> Bool in
                if state.records[agent.cardURL] != nil {
                    state.records[agent.cardURL]?.lastSeen = now
                    return false
                }
                state.records[agent.cardURL] = AgentRecord(
                    name: agent.name ?? agent.cardURL, cardURL: agent.cardURL, source: source.kind, lastSeen: now,
                    health: .unknown, card: nil, etag: nil)
                return true
            }
            if isNew, let record = state.withLock({ $0.records[agent.cardURL] }) { emit(.added(record)) }
        }
        await withTaskGroup(of: Void.self) { group in
            for agent in listed { group.addTask { await self.revalidate(agent.cardURL) } }
        }
    }

    /// Fetches (or revalidates) one peer's card and records whether it answered.
    func revalidate(_ cardURL: String) async {
        let etag = state.withLock { $0.records[cardURL]?.etag }
        do {
            switch try await fetcher.fetch(cardURL, etag: etag) {
            case .notModified:
                update(cardURL) { $0.health = .up }
            case .card(let card, let newEtag):
                update(cardURL) { record in
                    record.card = card
                    record.etag = newEtag
                    record.name = card.name
                    record.health = .up
                }
            }
        } catch {
            logger.debug("card fetch failed", metadata: ["url": "\(cardURL)", "error": "\(error)"])
            markDown(cardURL: cardURL)
        }
    }

    /// Removes the entries of `source` not seen within the TTL.
    func expire(source: AgentSource) {
        let cutoff = Date().addingTimeInterval(-Double(ttl.components.seconds))
        let removed = state.withLock { state -> [AgentRecord] in
            let gone = state.records.values.filter { $0.source == source && $0.lastSeen < cutoff }
            for record in gone { state.records[record.cardURL] = nil }
            return gone
        }
        for record in removed { emit(.removed(record)) }
    }

    /// Applies `change` and emits `.updated` when the record actually changed.
    private func update(_ cardURL: String, _ change: (inout AgentRecord) -> Void) {
        let updated = state.withLock { state -> AgentRecord? in
            guard var record = state.records[cardURL] else { return nil }
            let before = record
            change(&record)
            state.records[cardURL] = record
            return record.health == before.health && record.card == before.card ? nil : record
        }
        if let updated { emit(.updated(updated)) }
    }

    private func emit(_ change: DirectoryChange) {
        let watchers = state.withLock { Array($0.watchers.values) }
        for watcher in watchers { watcher.yield(change) }
    }
}
