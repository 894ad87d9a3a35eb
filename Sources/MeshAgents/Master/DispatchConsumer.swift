import Foundation
import Logging
import MeshTracing
import Redis
import ServiceLifecycle
import Synchronization

/// Reads the dispatch stream through the `masters` consumer group and runs each task to its end.
///
/// Several masters share the stream; each entry goes to one of them. The master running a task renews its
/// claim on the entry (`XCLAIM ... JUSTID`) every third of ``MasterSettings/claimIdle``, and every master
/// takes over entries idle for longer than that (`XAUTOCLAIM`), so a dead master's tasks resume elsewhere.
/// An entry is acknowledged and deleted once its task ended; at shutdown, unfinished runs are left pending
/// for the next master.
final class DispatchConsumer: Service, Sendable {
    let services: MasterServices
    let redis: RedisConnectionPool
    private let running = Mutex<[String: String]>([:])

    init(services: MasterServices, redis: RedisConnectionPool) {
        self.services = services
        self.redis = redis
    }

    var keys: MasterKeys { services.store.keys }
    var logger: Logger { services.logger }

    /// Tasks this master runs now.
    var runningCount: Int { running.withLock { $0.count } }

    func run() async throws {
        try await ensureGroup()
        let slots = Slots(services.settings.maxRunningTasks)
        await withDiscardingTaskGroup { group in
            group.addTask { await self.renewClaims() }
            await withGracefulShutdownHandler {
                await self.read(slots: slots)
            } onGracefulShutdown: {
                slots.close()
            }
            group.cancelAll()
        }
    }

    private func ensureGroup() async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await redis.xgroupCreate(keys.dispatch, group: keys.group, startingAt: "0", makeStream: true)
                return
            } catch {
                logger.warning("cannot create the dispatch group yet", metadata: ["error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// New entries as fast as there are free slots, and now and then the entries of silent masters. Runs
    /// started here are awaited before it returns, so a graceful shutdown lets them finish.
    private func read(slots: Slots) async {
        await withDiscardingTaskGroup { group in
            var failures = 0
            var lastReclaim = ContinuousClock.now
            var cursor = "0-0"
            while !slots.isClosed {
                do {
                    // One connection attempt per loop: the loop's own backoff notices a shutdown while Redis is away.
                    try await redis.withDedicatedConnection(retrying: false) { connection in
                        while let free = await slots.waitForFree() {
                            if ContinuousClock.now - lastReclaim >= services.settings.claimIdle / 2 {
                                lastReclaim = ContinuousClock.now
                                cursor = await reclaim(from: cursor, slots: slots, group: &group)
                            }
                            let entries = try await connection.xreadgroup(
                                keys.dispatch, group: keys.group, consumer: services.consumer, id: ">",
                                count: min(free, 64), block: .seconds(1))
                            failures = 0
                            for entry in entries { start(entry, slots: slots, group: &group) }
                        }
                    }
                } catch {
                    if slots.isClosed { break }
                    failures += 1
                    if case RedisError.server(let message) = error, message.hasPrefix("NOGROUP") {
                        try? await ensureGroup()
                    }
                    logger.warning("reading the dispatch stream failed", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .milliseconds(min(100 * (1 << min(failures, 5)), 2_000)))
                }
            }
        }
    }

    private func start(_ entry: RedisStreamEntry, slots: Slots, group: inout DiscardingTaskGroup) {
        guard let id = entry["task"] else {
            group.addTask { await self.finish(entryID: entry.id) }
            return
        }
        enum Start { case run, duplicate, ours, full }
        let decision = running.withLock { running -> Start in
            if let current = running[id] { return current == entry.id ? .ours : .duplicate }
            guard slots.take() else { return .full }
            running[id] = entry.id
            return .run
        }
        switch decision {
        case .ours, .full:
            // Our own entry (claimed back while it runs), or no room: it stays pending for later.
            return
        case .duplicate:
            // The task already runs here under another entry (a replay raced a claim).
            group.addTask { await self.finish(entryID: entry.id) }
        case .run:
            group.addTask {
                let end = await self.runTask(id, entryID: entry.id)
                self.running.withLock { $0[id] = nil }
                slots.give()
                if end == .ended { await self.finish(entryID: entry.id) }
            }
        }
    }

    /// Takes over entries that a silent master left idle; returns where the next scan starts.
    private func reclaim(from cursor: String, slots: Slots, group: inout DiscardingTaskGroup) async -> String {
        do {
            let claimed = try await redis.xautoclaim(
                keys.dispatch, group: keys.group, consumer: services.consumer, minIdle: services.settings.claimIdle,
                start: cursor, count: 100)
            if !claimed.entries.isEmpty {
                logger.info("took over tasks from a silent master", metadata: ["count": "\(claimed.entries.count)"])
            }
            for entry in claimed.entries { start(entry, slots: slots, group: &group) }
            if !claimed.deletedIDs.isEmpty {
                _ = try? await redis.xack(keys.dispatch, group: keys.group, ids: claimed.deletedIDs)
            }
            return claimed.nextStart
        } catch {
            logger.warning("reclaiming dispatch entries failed", metadata: ["error": "\(error)"])
            return cursor
        }
    }

    /// How a run of a task left its dispatch entry.
    enum RunEnd: Sendable, Equatable {
        /// The task ended or no longer exists: the entry can be acknowledged.
        case ended
        /// The save that ended the task acknowledged the entry already.
        case acknowledged
        /// The task stays pending, for a retry here or a takeover.
        case pending
    }

    /// Runs one task, which came from dispatch entry `entryID`.
    func runTask(_ id: String, entryID: String) async -> RunEnd {
        do {
            // A task this master accepted a moment ago is in memory (a stale copy costs one conflict on the first
            // save). A finished one is read again: a replay may have queued it since.
            var found = services.recent.stored(id)
            if found == nil || found!.task.state.isTerminal { found = try await services.store.load(id) }
            guard var stored = found else { return .ended }
            // A conflict with a save of our own (its reply lost when Redis restarted) is not another master's
            // work: go on from what is stored. Bounded, so two masters cannot bounce a task between them.
            for _ in 0..<3 {
                if stored.task.state.isTerminal { return .ended }
                do {
                    // The run continues the trace of the request that submitted the task, on whichever master.
                    let task = stored.task
                    let trace = task.traceParent.flatMap {
                        MeshTrace.resumed(traceParent: $0, traceState: task.traceState)
                    }
                    let run = TaskRun(stored, services: services, dispatchEntry: entryID)
                    try await MeshTrace.withContext(trace ?? MeshTrace.newTrace()) {
                        try await run.execute()
                    }
                    return await run.acknowledged ? .acknowledged : .ended
                } catch RunStop.overtaken(let current) where current.task.owner == services.consumer {
                    stored = current
                }
            }
            return .pending
        } catch RunStop.overtaken(let current) {
            return current.task.state.isTerminal ? .ended : .pending
        } catch RunStop.gone {
            return .ended
        } catch is CancellationError {
            return .pending
        } catch {
            // The failed save may have gone through without its answer: read the task again next time.
            services.recent.forget(id)
            logger.error(
                "task run failed; it stays pending for a retry", metadata: ["task.id": "\(id)", "error": "\(error)"])
            return .pending
        }
    }

    private func finish(entryID: String) async {
        do {
            _ = try await redis.pipeline([
                RedisCommand("XACK", RedisArgument(keys.dispatch), RedisArgument(keys.group), RedisArgument(entryID)),
                RedisCommand("XDEL", RedisArgument(keys.dispatch), RedisArgument(entryID)),
            ])
        } catch {
            logger.warning(
                "could not acknowledge a dispatch entry", metadata: ["entry": "\(entryID)", "error": "\(error)"])
        }
    }

    /// Keeps this master's entries from looking abandoned.
    private func renewClaims() async {
        let interval = services.settings.claimIdle / 3
        while (try? await Task.sleep(for: interval)) != nil {
            let ids = running.withLock { Array($0.values) }
            guard !ids.isEmpty else { continue }
            for chunk in stride(from: 0, to: ids.count, by: 200).map({ ids[$0..<min($0 + 200, ids.count)] }) {
                let arguments =
                    [RedisArgument(keys.dispatch), RedisArgument(keys.group), RedisArgument(services.consumer), "0"]
                    + chunk.map { RedisArgument($0) } + ["JUSTID"]
                do {
                    _ = try await redis.run(RedisCommand("XCLAIM", arguments))
                } catch {
                    logger.warning("could not renew dispatch claims", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// The dispatch stream's length and pending count, for `/status`.
    func queueSummary() async throws -> (length: Int, pending: Int) {
        let length = try await redis.xlen(keys.dispatch)
        let pending = try await redis.xpendingSummary(keys.dispatch, group: keys.group).count
        return (length, pending)
    }
}

/// Counts free run slots; ``waitForFree()`` returns nil once closed (shutdown).
final class Slots: Sendable {
    private struct State {
        var free: Int
        var closed = false
        var waiter: CheckedContinuation<Int?, Never>?
    }
    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(free: count))
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    func waitForFree() async -> Int? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Int?? in
                if state.closed { return .some(nil) }
                if state.free > 0 { return .some(state.free) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Takes a slot for a claimed entry; false when none is free.
    func take() -> Bool {
        state.withLock { state in
            guard state.free > 0 else { return false }
            state.free -= 1
            return true
        }
    }

    func give() {
        let waiter = state.withLock { state -> CheckedContinuation<Int?, Never>? in
            state.free += 1
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: 1)
    }

    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<Int?, Never>? in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
