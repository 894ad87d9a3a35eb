import Foundation
import Logging
import Redis
import ServiceLifecycle
import Synchronization

/// Wakes whoever waits on a task (long polls, event streams, the runner of a canceled task) when any master
/// changes it: every save publishes `"<id> <state>"` on one Redis channel, which every master subscribes to.
public final class TaskNotifier: Service, Sendable {
    private struct Watchers {
        var byTask: [String: [ObjectIdentifier: ChangeSignal]] = [:]
    }

    let subscriber: RedisSubscriber
    let channel: String
    let logger: Logger
    private let watchers = Mutex(Watchers())
    /// Called for every change, e.g. to stop a task this master runs when another one canceled it.
    let onChange: @Sendable (String, MeshTaskState) -> Void

    init(
        subscriber: RedisSubscriber, channel: String, logger: Logger,
        onChange: @escaping @Sendable (String, MeshTaskState) -> Void
    ) {
        self.subscriber = subscriber
        self.channel = channel
        self.logger = logger
        self.onChange = onChange
    }

    public func run() async throws {
        try await subscriber.subscribe([channel])
        for await message in subscriber.messages.cancelOnGracefulShutdown() where message.channel == channel {
            let parts = message.text.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let state = MeshTaskState(rawValue: String(parts[1])) else { continue }
            notify(String(parts[0]), state)
        }
    }

    /// Tells the local watchers of `id` at once (the published message follows for other masters).
    func notify(_ id: String, _ state: MeshTaskState) {
        let signals = watchers.withLock { $0.byTask[id].map { Array($0.values) } ?? [] }
        for signal in signals { signal.fire(state) }
        onChange(id, state)
    }

    /// Registers a signal for `id` until ``unregister(_:_:)``.
    func register(_ id: String) -> (ChangeSignal, ObjectIdentifier) {
        let signal = ChangeSignal()
        // The signal lives until it is unregistered, so its identity is a unique key without a random id.
        let key = ObjectIdentifier(signal)
        watchers.withLock { $0.byTask[id, default: [:]][key] = signal }
        return (signal, key)
    }

    func unregister(_ id: String, _ key: ObjectIdentifier) {
        watchers.withLock { watchers in
            watchers.byTask[id]?[key] = nil
            if watchers.byTask[id]?.isEmpty == true { watchers.byTask[id] = nil }
        }
    }

    /// Runs `body` with a signal that fires on each change of `id`; it watches before `body` reads the task,
    /// so no change between the read and the wait is missed.
    func watching<Result: Sendable>(
        _ id: String, _ body: (ChangeSignal) async throws -> Result
    ) async rethrows -> Result {
        let (signal, key) = register(id)
        defer { unregister(id, key) }
        return try await body(signal)
    }
}

/// A one-slot mailbox for task changes: ``fire(_:)`` from any thread, ``wait(timeout:)`` from one waiter.
final class ChangeSignal: Sendable {
    private struct State {
        var pending: MeshTaskState?
        var waiter: CheckedContinuation<MeshTaskState?, Never>?
        var expired = false
        /// Counts waits, so that a timer of an earlier wait that fires late cannot end a later one.
        var generation = 0
    }
    private let state = Mutex(State())

    func fire(_ change: MeshTaskState) {
        let waiter = state.withLock { state -> CheckedContinuation<MeshTaskState?, Never>? in
            guard let waiter = state.waiter else {
                state.pending = change
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: change)
    }

    /// The next change, or nil when `timeout` passes (or the caller is cancelled) first.
    func wait(timeout: Duration) async -> MeshTaskState? {
        let generation = state.withLock { state in
            state.generation += 1
            state.expired = false
            return state.generation
        }
        let timer = EventLoopTimer.schedule(after: timeout) { self.expire(generation) }
        let value = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<MeshTaskState?, Never>) in
                let ready = state.withLock { state -> MeshTaskState?? in
                    if let pending = state.pending {
                        state.pending = nil
                        return .some(pending)
                    }
                    if state.expired || Task.isCancelled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            self.expire(generation)
        }
        timer.cancel()
        return value
    }

    private func expire(_ generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<MeshTaskState?, Never>? in
            guard state.generation == generation else { return nil }
            guard let waiter = state.waiter else {
                state.expired = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: nil)
    }
}
