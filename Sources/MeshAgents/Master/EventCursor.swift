import Foundation

/// One element of a task's event feed.
public enum TaskFeedItem: Sendable {
    /// An event with its stream id (the SSE `id`, for `Last-Event-ID`).
    case event(id: String, MeshTaskEvent)
    /// Nothing happened for a while; SSE writers send a comment so proxies keep the connection.
    case idle
}

/// Reads a task's event stream in order and waits for news between reads.
actor EventCursor {
    let id: String
    let store: MasterStore
    let notifier: TaskNotifier
    let heartbeat: Duration
    let signal: ChangeSignal
    let watch: ObjectIdentifier
    private var last: String?
    private var buffer: [(id: String, event: MeshTaskEvent)] = []
    private var checkedExistence = false
    private var done = false

    init(id: String, after: String?, store: MasterStore, notifier: TaskNotifier, heartbeat: Duration) {
        self.id = id
        self.store = store
        self.notifier = notifier
        self.heartbeat = heartbeat
        last = after
        // Watch before the first read, so a change between a read and the wait is not missed.
        (signal, watch) = notifier.register(id)
    }

    deinit {
        notifier.unregister(id, watch)
    }

    func next() async throws -> TaskFeedItem? {
        while buffer.isEmpty {
            if done { return nil }
            let batch = try await store.events(of: id, after: last)
            if !batch.isEmpty {
                buffer = batch
                break
            }
            if !checkedExistence {
                guard try await store.load(id) != nil else { throw MasterRequestError.notFound("no task \(id)") }
                checkedExistence = true
            }
            if await signal.wait(timeout: heartbeat) == nil {
                try Task.checkCancellation()
                return .idle
            }
        }
        checkedExistence = true
        let (entryID, event) = buffer.removeFirst()
        last = entryID
        if event.type.isTerminal { done = true }
        return .event(id: entryID, event)
    }
}
