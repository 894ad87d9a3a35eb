import Synchronization

/// The tasks this master wrote last, with their versions, so the dispatcher that picks up a task this master
/// just accepted, and a long poll for a task it just finished, need not read and decode it from Redis again.
///
/// Only a cache: every write still goes through the compare-and-set save, so a stale entry costs one conflict
/// and a reload. Entries are written after successful saves only.
final class RecentTasks: Sendable {
    private struct State {
        var entries: [String: MasterStore.Stored] = [:]
        var order: [String] = []
        var head = 0
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    func remember(_ stored: MasterStore.Stored) {
        state.withLock { state in
            if state.entries.updateValue(stored, forKey: stored.task.id) == nil {
                state.order.append(stored.task.id)
            }
            // Forget the oldest when full; the order list is compacted now and then instead of on every removal.
            while state.entries.count > capacity, state.head < state.order.count {
                state.entries[state.order[state.head]] = nil
                state.head += 1
            }
            if state.head > capacity {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }

    /// Drops a task whose copy may be wrong (a save failed without an answer).
    func forget(_ id: String) {
        state.withLock { _ = $0.entries.removeValue(forKey: id) }
    }

    func stored(_ id: String) -> MasterStore.Stored? {
        state.withLock { $0.entries[id] }
    }
}
