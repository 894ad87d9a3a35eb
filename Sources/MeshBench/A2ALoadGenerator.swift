import NIOCore
import NIOHTTP1
import NIOPosix

/// A closed-loop load generator for A2A `SendMessage` over JSON-RPC, written directly on SwiftNIO so that
/// one core drives well over 10,000 requests per second.
public struct A2ALoadGenerator: Sendable {
    public let configuration: A2ABenchConfiguration

    public init(configuration: A2ABenchConfiguration) {
        self.configuration = configuration
    }

    /// Opens the connections, runs warm-up and measurement, closes everything and reports.
    public func run() async throws -> A2ABenchReport {
        try configuration.validate()
        let template = try SendMessageTemplate(target: configuration.target, text: configuration.text)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads)
        do {
            let report = try await run(on: group, template: template)
            try await group.shutdownGracefully()
            return report
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private typealias LoopHandle = (
        run: NIOLoopBound<LoopRun>, warmupDone: EventLoopFuture<Void>, finished: EventLoopFuture<LoopResult>
    )

    private func run(on group: MultiThreadedEventLoopGroup, template: SendMessageTemplate) async throws
        -> A2ABenchReport
    {
        let loops = Array(group.makeIterator())
        var handles: [LoopHandle] = []
        for (index, loop) in loops.enumerated() {
            let budget = configuration.requests.map { total in
                total / loops.count + (index < total % loops.count ? 1 : 0)
            }
            let target = configuration.target
            handles.append(
                try await loop.submit { () -> LoopHandle in
                    let run = LoopRun(eventLoop: loop, template: template, budget: budget)
                    let bound = NIOLoopBound(run, eventLoop: loop)
                    run.connect = { Self.connect(to: target, run: bound) }
                    return (bound, run.warmupDone.futureResult, run.finished.futureResult)
                }.get())
        }

        do {
            // Each connection registers itself with its loop's run once active.
            for index in 0..<configuration.connections {
                let handle = handles[index % handles.count]
                _ = try await Self.connect(to: configuration.target, run: handle.run).get()
            }
        } catch {
            let failure = BenchError.cannotConnect(
                host: configuration.target.host, port: configuration.target.port, reason: "\(error)")
            for handle in handles {
                try? await handle.run.eventLoop.flatSubmit { handle.run.value.abandon(failure) }.get()
            }
            throw failure
        }

        let pid = configuration.serverPID
        var memory = pid.map { A2ABenchReport.ServerMemory(pid: $0, before: ResidentMemory.bytes(pid: $0)) }
        let warmup = TimeAmount.nanoseconds(Int64(configuration.warmupSeconds * 1e9))
        let duration =
            configuration.requests == nil
            ? TimeAmount.nanoseconds(Int64(configuration.durationSeconds * 1e9)) : nil
        for handle in handles {
            handle.run.eventLoop.execute { handle.run.value.start(warmup: warmup, duration: duration) }
        }
        for handle in handles { try await handle.warmupDone.get() }
        if let pid { memory?.afterWarmup = ResidentMemory.bytes(pid: pid) }
        var results: [LoopResult] = []
        for handle in handles { results.append(try await handle.finished.get()) }
        if let pid { memory?.after = ResidentMemory.bytes(pid: pid) }
        for handle in handles {
            try await handle.run.eventLoop.flatSubmit { handle.run.value.closeAll() }.get()
        }

        let report = A2ABenchReport(configuration: configuration, results: results, memory: memory)
        guard report.requests > 0 else { throw BenchError.noResponses(configuration.target.description) }
        return report
    }

    /// Opens one keep-alive HTTP/1.1 connection on the run's event loop.
    static func connect(to target: BenchTarget, run: NIOLoopBound<LoopRun>) -> EventLoopFuture<Channel> {
        ClientBootstrap(group: run.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                do {
                    let pipeline = channel.pipeline.syncOperations
                    // The head is built once from constants, so per-request header validation buys nothing.
                    try pipeline.addHTTPClientHandlers(enableOutboundHeaderValidation: false)
                    try pipeline.addHandler(BenchConnectionHandler(run: run.value))
                    return channel.eventLoop.makeSucceededVoidFuture()
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
            }
            .connect(host: target.host, port: target.port)
    }
}
