import A2A
import A2AServer
import Foundation
import Synchronization

/// A task's push configs as this process last read or wrote them, for a short while.
///
/// An agent looks a task's configs up for every event it publishes (4 or more per task), which against Redis is
/// a round trip each. This process's own writes update the cache at once; a config that another replica adds
/// reaches this one's deliveries within ``RedisPushConfigStore/cacheLifetime``.
final class PushConfigCache: Sendable {
    private struct Entry {
        var configs: [TaskPushNotificationConfig]
        var expires: ContinuousClock.Instant
    }

    let lifetime: Duration
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])

    init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func configs(taskId: String) -> [TaskPushNotificationConfig]? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[taskId], entry.expires > now else { return nil }
            return entry.configs
        }
    }

    func store(_ configs: [TaskPushNotificationConfig], taskId: String) {
        put(configs, taskId: taskId, replacing: true)
    }

    /// Stores `configs` unless a fresh entry is there already.
    func storeIfAbsent(_ configs: [TaskPushNotificationConfig], taskId: String) {
        put(configs, taskId: taskId, replacing: false)
    }

    private func put(_ configs: [TaskPushNotificationConfig], taskId: String, replacing: Bool) {
        let now = ContinuousClock.now
        entries.withLock { entries in
            if !replacing, let entry = entries[taskId], entry.expires > now { return }
            if entries.count >= capacity { entries = entries.filter { $0.value.expires > now } }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[taskId] = Entry(configs: configs, expires: now + lifetime)
        }
    }

    func forget(taskId: String) {
        _ = entries.withLock { $0.removeValue(forKey: taskId) }
    }
}
