import A2A
import Foundation
import Logging
import MeshTracing
import ServiceLifecycle
import Synchronization

/// Runs executors in the background, as children of one task group, so a task outlives the request
/// that started it. Graceful shutdown stops intake and waits for running executions.
public final class AgentRunner: Service {
    typealias Job = @Sendable () async -> Void

    private let jobs: AsyncStream<Job>
    private let intake: AsyncStream<Job>.Continuation
    private let active = Atomic<Int>(0)
    private let statusChange = Mutex<(busy: Bool, since: Double)>((false, 0))

    /// Called in the task that submits a job; returns what runs the job with that task's task-local values bound
    /// again (the job runs in the runner's group, which does not inherit them). E.g. the caller's identity.
    public typealias Carrier = @Sendable () -> @Sendable (_ job: @Sendable () async -> Void) async -> Void

    private let carrier: Carrier?

    /// - Parameter carrier: carries task-local values other than the trace (which is always carried) into jobs.
    public init(carrying carrier: Carrier? = nil) {
        self.carrier = carrier
        (jobs, intake) = AsyncStream.makeStream()
        statusChange.withLock { $0.since = Self.now() }
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for await job in jobs.cancelOnGracefulShutdown() {
                group.addTask { await job() }
            }
        }
    }

    /// Starts `job` in the background, in the trace of the caller.
    func submit(_ job: @escaping Job) {
        begin()
        // The job runs in the runner's task group, which does not inherit the submitter's task-locals.
        let trace = MeshTrace.current
        let rebind = carrier?()
        intake.yield { [self] in
            await MeshTrace.withContext(trace) {
                if let rebind { await rebind(job) } else { await job() }
            }
            end()
        }
    }

    /// Runs `job` in the calling task, counted as running work (for `/ping`).
    func runHere<T>(_ job: () async throws -> T) async rethrows -> T {
        begin()
        defer { end() }
        return try await job()
    }

    private func begin() {
        if active.add(1, ordering: .relaxed).oldValue == 0 { markBusy(true) }
    }

    private func end() {
        if active.subtract(1, ordering: .relaxed).newValue == 0 { markBusy(false) }
    }

    /// The number of executions running now.
    public var activeCount: Int { active.load(ordering: .relaxed) }

    /// Busy or idle, and since when (unix seconds): the AgentCore `/ping` contract.
    public var health: (busy: Bool, since: Double) { statusChange.withLock { $0 } }

    private func markBusy(_ busy: Bool) {
        statusChange.withLock { state in
            if state.busy != busy { state = (busy, Self.now()) }
        }
    }

    private static func now() -> Double {
        Date().timeIntervalSince1970
    }
}
