import NIOCore

/// What one event loop measured, handed back when its part of the run ends.
struct LoopResult: Sendable {
    var histogram = LatencyHistogram()
    var completed: UInt64 = 0
    var httpErrors: UInt64 = 0
    var rpcErrors: UInt64 = 0
    var socketErrors: UInt64 = 0
    var measuredNanoseconds: Int64 = 0
}

/// The state of one event loop's share of a run: its connections, its phase and its figures.
///
/// Confined to its event loop, so the hot path takes no lock.
final class LoopRun {
    enum Phase { case idle, warmup, measuring, finished }

    let eventLoop: EventLoop
    let template: SendMessageTemplate
    let allocator = ByteBufferAllocator()
    private let runID: UInt64
    private var sequence: UInt64 = 0
    private(set) var phase = Phase.idle
    /// Measured requests still to issue, in `--requests` mode.
    private var budget: Int?
    private var inFlightMeasured = 0
    private var result = LoopResult()
    private var measureStart = NIODeadline.now()
    private var lastCompletion = NIODeadline.now()
    private var handlers: [ObjectIdentifier: BenchConnectionHandler] = [:]
    private var failedConnects = 0
    /// Opens one more connection on this loop; set by the generator.
    var connect: (() -> EventLoopFuture<Channel>)?
    let warmupDone: EventLoopPromise<Void>
    let finished: EventLoopPromise<LoopResult>

    init(eventLoop: EventLoop, template: SendMessageTemplate, budget: Int?) {
        self.eventLoop = eventLoop
        self.template = template
        self.budget = budget
        self.runID = UInt64.random(in: 0...UInt64.max)
        self.warmupDone = eventLoop.makePromise()
        self.finished = eventLoop.makePromise()
    }

    /// Starts the clock: warm-up, then measurement until `duration` passes or the budget is spent.
    func start(warmup: TimeAmount, duration: TimeAmount?) {
        phase = .warmup
        if warmup > .zero {
            eventLoop.assumeIsolated().scheduleTask(in: warmup) { self.beginMeasuring(duration: duration) }
        } else {
            beginMeasuring(duration: duration)
        }
        for handler in handlers.values { handler.sendNext() }
    }

    private func beginMeasuring(duration: TimeAmount?) {
        guard phase == .warmup else { return }
        phase = .measuring
        measureStart = .now()
        lastCompletion = measureStart
        warmupDone.succeed()
        if let duration {
            eventLoop.assumeIsolated().scheduleTask(in: duration) { self.finish(at: .now()) }
        } else if budget == 0 {
            finish(at: measureStart)
        }
    }

    private func finish(at end: NIODeadline) {
        guard phase != .finished else { return }
        if phase != .measuring { warmupDone.succeed() }
        phase = .finished
        result.measuredNanoseconds = max(0, (end - measureStart).nanoseconds)
        finished.succeed(result)
    }

    /// Whether a connection may send now, and if so whether that request counts; nil means stop.
    func issue() -> (measured: Bool, body: ByteBuffer)? {
        let measured: Bool
        switch phase {
        case .idle, .finished: return nil
        case .warmup: measured = false
        case .measuring:
            if let remaining = budget {
                guard remaining > 0 else { return nil }
                budget = remaining - 1
                inFlightMeasured += 1
            }
            measured = true
        }
        sequence &+= 1
        return (measured, template.body(runID: runID, sequence: sequence, allocator: allocator))
    }

    /// Records a finished response.
    func complete(measured: Bool, latency: Int64, status: UInt, rpcError: Bool, at now: NIODeadline) {
        guard measured, phase == .measuring else { return }
        result.histogram.record(nanoseconds: UInt64(max(0, latency)))
        result.completed += 1
        if !(200..<300).contains(status) {
            result.httpErrors += 1
        } else if rpcError {
            result.rpcErrors += 1
        }
        settle(at: now)
    }

    /// Records a request lost with its connection; losses during warm-up are not counted.
    func lost(measured: Bool) {
        guard phase == .measuring else { return }
        result.socketErrors += 1
        if measured { settle(at: .now()) }
    }

    private func settle(at now: NIODeadline) {
        lastCompletion = now
        guard budget != nil else { return }
        inFlightMeasured -= 1
        if budget == 0 && inFlightMeasured == 0 { finish(at: lastCompletion) }
    }

    func register(_ handler: BenchConnectionHandler) {
        handlers[ObjectIdentifier(handler)] = handler
    }

    /// Forgets a closed connection and, while the run goes on, opens a new one in its place.
    func unregister(_ handler: BenchConnectionHandler) {
        handlers[ObjectIdentifier(handler)] = nil
        reconnect()
    }

    private func reconnect() {
        guard phase != .finished, let connect else { return }
        eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(10)) {
            guard self.phase != .finished else { return }
            connect().assumeIsolated().whenComplete { outcome in
                switch outcome {
                case .success:
                    self.failedConnects = 0
                case .failure:
                    if self.phase == .measuring { self.result.socketErrors += 1 }
                    self.failedConnects += 1
                    // The server is gone: end with what was measured instead of retrying forever.
                    if self.failedConnects >= 200 { self.finish(at: self.lastCompletion) } else { self.reconnect() }
                }
            }
        }
    }

    /// Closes every open connection once the run is over.
    func closeAll() -> EventLoopFuture<Void> {
        connect = nil
        let closing = handlers.values.map { $0.close() }
        handlers.removeAll()
        return EventLoopFuture.andAllComplete(closing, on: eventLoop)
    }

    /// Gives up before the start, when not every connection could be opened.
    func abandon(_ error: Error) -> EventLoopFuture<Void> {
        phase = .finished
        warmupDone.fail(error)
        finished.fail(error)
        return closeAll()
    }
}
