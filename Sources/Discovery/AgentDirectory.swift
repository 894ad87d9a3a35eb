import A2A
import CloudMap
import Foundation
import Logging
import Synchronization

/// One directory of peers merged from every source, with their cards, health and last-seen times.
///
/// Entries are keyed by card URL. ``refresh(from:)`` reconciles one source: new peers are added, listed
/// peers have their cards revalidated, and peers the source no longer lists are removed.
///
/// A peer whose card fetch fails is marked down at once, so queries route around it. One that stays
/// unreachable for ``unreachableRemoval`` leaves the directory even while its source still lists it (a
/// SIGKILLed agent stays in the registry until its heartbeat TTL runs out); it is still probed on every
/// refresh and comes back, as `.added`, as soon as it answers again.
public final class AgentDirectory: Sendable {
    struct State {
        var records: [String: AgentRecord] = [:]
        var watchers: [UUID: AsyncStream<DirectoryChange>.Continuation] = [:]
        /// When each peer's card was last fetched or revalidated.
        var checked: [String: ContinuousClock.Instant] = [:]
        /// Since when each unreachable peer has failed every fetch.
        var unreachableSince: [String: ContinuousClock.Instant] = [:]
        /// Peers removed for being unreachable that their source still lists: kept, probed, but not shown.
        var hidden: Set<String> = []

        /// Drops everything known about `url`.
        mutating func forget(_ url: String) {
            records[url] = nil
            checked[url] = nil
            unreachableSince[url] = nil
            hidden.remove(url)
        }
    }

    let fetcher: CardFetcher
    /// A peer its source has not listed for this long leaves, even if the source cannot be reached.
    public let ttl: Duration
    /// How often a listed peer's card is revalidated. Sources may be polled more often than this (to see
    /// new peers quickly); new peers and peers marked down are fetched on every refresh.
    public let revalidateInterval: Duration
    /// How long a peer may fail every fetch before it leaves the directory.
    public let unreachableRemoval: Duration
    let logger: Logger
    let state = Mutex(State())

    public init(
        fetcher: CardFetcher = CardFetcher(), ttl: Duration = .seconds(10), revalidateInterval: Duration = .seconds(1),
        unreachableRemoval: Duration = .seconds(5), logger: Logger = Logger(label: "mesh.discovery")
    ) {
        self.unreachableRemoval = unreachableRemoval
        self.fetcher = fetcher
        self.ttl = ttl
        self.revalidateInterval = revalidateInterval
        self.logger = logger
    }

    /// Every entry, sorted by name.
    public var records: [AgentRecord] {
        state.withLock { state in state.records.values.filter { !state.hidden.contains($0.cardURL) } }.sorted { ($0.name, $0.cardURL) < ($1.name, $1.cardURL) }
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
        } catch let error as CloudMapError where [.namespaceNotFound, .serviceNotFound].contains(error.code) {
            // Nobody has registered yet: the first advertiser creates the namespace and service.
            logger.debug("registry service not created yet", metadata: ["error": "\(error)"])
            expire(source: source.kind)
            return
        } catch {
            logger.warning("discovery source failed", metadata: ["source": "\(source.kind)", "error": "\(error)"])
            expire(source: source.kind)
            return
        }
        let now = Date()
        let urls = Set(listed.map(\.cardURL))
        let removed = state.withLock { state -> [AgentRecord] in
            let gone = state.records.values.filter { $0.source == source.kind && !urls.contains($0.cardURL) }
            // A hidden peer already left in the eyes of watchers.
            let shown = gone.filter { !state.hidden.contains($0.cardURL) }
            for record in gone { state.forget(record.cardURL) }
            return shown
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
        let due = state.withLock { state in
            let clock = ContinuousClock.now
            return listed.map(\.cardURL).filter { url in
                guard let checked = state.checked[url], state.records[url]?.health == .up else { return true }
                return clock - checked >= revalidateInterval
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for url in due { group.addTask { await self.revalidate(url) } }
        }
        removeLongUnreachable()
    }
}
