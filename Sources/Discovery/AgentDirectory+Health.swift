import Foundation

extension AgentDirectory {
    /// Fetches (or revalidates) one peer's card and records whether it answered.
    func revalidate(_ cardURL: String) async {
        let etag = state.withLock { state in
            state.checked[cardURL] = ContinuousClock.now
            return state.records[cardURL]?.etag
        }
        do {
            let outcome = try await fetcher.fetch(cardURL, etag: etag)
            state.withLock { $0.unreachableSince[cardURL] = nil }
            switch outcome {
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
            // A hidden peer answered again: it comes back, with its fresh card, as a new entry.
            let returned = state.withLock { state -> AgentRecord? in
                guard state.hidden.remove(cardURL) != nil else { return nil }
                return state.records[cardURL]
            }
            if let returned { emit(.added(returned)) }
        } catch {
            logger.debug("card fetch failed", metadata: ["url": "\(cardURL)", "error": "\(error)"])
            state.withLock { state in
                if state.unreachableSince[cardURL] == nil { state.unreachableSince[cardURL] = ContinuousClock.now }
            }
            markDown(cardURL: cardURL)
        }
    }

    /// Hides the peers that have failed every fetch for ``unreachableRemoval``, announcing them removed.
    func removeLongUnreachable() {
        let cutoff = ContinuousClock.now - unreachableRemoval
        let removed = state.withLock { state -> [AgentRecord] in
            let expired = state.unreachableSince.filter { $0.value <= cutoff && !state.hidden.contains($0.key) }
            return expired.keys.compactMap { url in
                state.hidden.insert(url)
                return state.records[url]
            }
        }
        for record in removed {
            logger.info("peer unreachable; removed", metadata: ["name": "\(record.name)", "url": "\(record.cardURL)"])
            emit(.removed(record))
        }
    }

    /// Removes the entries of `source` not seen within the TTL.
    func expire(source: AgentSource) {
        let cutoff = Date().addingTimeInterval(-Double(ttl.components.seconds))
        let removed = state.withLock { state -> [AgentRecord] in
            let gone = state.records.values.filter { $0.source == source && $0.lastSeen < cutoff }
            let shown = gone.filter { !state.hidden.contains($0.cardURL) }
            for record in gone { state.forget(record.cardURL) }
            return shown
        }
        for record in removed { emit(.removed(record)) }
    }

    /// Applies `change` and emits `.updated` when a shown record actually changed.
    func update(_ cardURL: String, _ change: (inout AgentRecord) -> Void) {
        let updated = state.withLock { state -> AgentRecord? in
            guard var record = state.records[cardURL] else { return nil }
            let before = record
            change(&record)
            state.records[cardURL] = record
            guard !state.hidden.contains(cardURL) else { return nil }
            return record.health == before.health && record.card == before.card ? nil : record
        }
        if let updated { emit(.updated(updated)) }
    }

    func emit(_ change: DirectoryChange) {
        let watchers = state.withLock { Array($0.watchers.values) }
        for watcher in watchers { watcher.yield(change) }
    }
}
