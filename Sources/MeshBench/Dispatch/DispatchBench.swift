import A2A

/// `mesh bench dispatch`: the latency and throughput the master adds to one skill call.
///
/// The same closed loop of `concurrency` clients drives three paths: A2A SendMessage (JSON-RPC, blocking)
/// straight to a worker; `POST /task {"skill"}` plus `GET /result/{id}?wait=30` through the master (a durable
/// task: the targets' measure); and `POST /dispatch`, the master's synchronous routing of one message.
/// Without a master URL the benchmark starts redis-server (AOF, fsync every second), the worker and the
/// master as its own child processes, and stops them at the end.
public struct DispatchBench: Sendable {
    public let configuration: DispatchBenchConfiguration

    public init(configuration: DispatchBenchConfiguration) {
        self.configuration = configuration
    }

    public func run() async throws -> DispatchBenchReport {
        try configuration.validate()
        if let masterURL = configuration.masterURL {
            let master = try BenchTarget(url: masterURL)
            return try await measure(
                master: master, worker: try await workerTarget(master: master), spawned: false,
                processes: [("bench", nil)])
        }
        let mesh = try await SpawnedMesh.start(configuration)
        var secured: SpawnedMesh?
        do {
            if configuration.compareAuth { secured = try await SpawnedMesh.start(configuration, auth: .random()) }
            var report = try await measure(
                master: mesh.masterTarget, worker: mesh.workerTarget, spawned: true, processes: mesh.processes)
            if let secured {
                report.auth = try await compareAuth(open: mesh, secured: secured, first: report.viaMaster)
            }
            await secured?.stop()
            await mesh.stop()
            return report
        } catch {
            await secured?.stop(keepLogs: true)
            await mesh.stop(keepLogs: true)
            throw error
        }
    }

    /// The master path with authentication off and on, in alternating rounds so that the machine's drift hits
    /// both alike; `first` is the measurement already made with it off.
    func compareAuth(open: SpawnedMesh, secured: SpawnedMesh, first: DispatchBenchReport.Path) async throws
        -> DispatchBenchReport.AuthComparison
    {
        guard let apiKey = secured.auth?.apiKey else { throw BenchError.invalidOption("the secured mesh has no key") }
        let duration = configuration.durationSeconds.map { Duration.milliseconds(Int64($0 * 1000)) }
        let openCall = try DispatchOperations.viaMaster(
            target: open.masterTarget, skill: configuration.skill, text: configuration.input)
        let securedCall = try DispatchOperations.viaMaster(
            target: secured.masterTarget, skill: configuration.skill, text: configuration.input)
        let openLoop = ClosedLoop(target: open.masterTarget, concurrency: configuration.concurrency)
        let securedLoop = ClosedLoop(
            target: secured.masterTarget, concurrency: configuration.concurrency, headers: [("X-API-Key", apiKey)])
        if configuration.warmupTasks > 0 {
            _ = try await securedLoop.run(count: configuration.warmupTasks, duration: nil, securedCall)
        }
        func measureOff() async throws -> DispatchBenchReport.Path {
            .init(try await openLoop.run(count: configuration.tasks, duration: duration, openCall))
        }
        func measureOn() async throws -> DispatchBenchReport.Path {
            let measured = try await securedLoop.run(count: configuration.tasks, duration: duration, securedCall)
            guard measured.completed > 0 else {
                throw BenchError.noResponses("\(secured.masterTarget) with an API key: \(Self.summary(measured))")
            }
            return .init(measured)
        }
        // Round 1 reuses the measurement just made with authentication off; later rounds swap the order each
        // time, so neither side always runs first on a machine that drifts.
        var off = [first]
        var on = [try await measureOn()]
        for round in 1..<configuration.authRounds {
            if round.isMultiple(of: 2) {
                off.append(try await measureOff())
                on.append(try await measureOn())
            } else {
                on.append(try await measureOn())
                off.append(try await measureOff())
            }
        }
        return DispatchBenchReport.AuthComparison(off: off, on: on)
    }

    /// `--worker-url`, else a worker with the skill from the master's `/status`.
    func workerTarget(master: BenchTarget) async throws -> BenchTarget {
        if let url = configuration.workerURL { return try BenchTarget(url: url) }
        guard let agentURL = try await WorkerEndpoint.agentURL(master: master, skill: configuration.skill) else {
            throw BenchError.invalidOption(
                "the master at \(master) lists no healthy agent with skill \(configuration.skill) in /status; "
                    + "pass --worker-url for the direct path")
        }
        return try await WorkerEndpoint.jsonRPCTarget(agentURL: agentURL)
    }

    /// Both paths, with the CPU that each of `processes` used per task on each (nil pid: this process).
    func measure(master: BenchTarget, worker: BenchTarget, spawned: Bool, processes: [(name: String, pid: Int32?)])
        async throws -> DispatchBenchReport
    {
        let concurrency = configuration.concurrency
        let direct = ClosedLoop(
            target: worker, concurrency: concurrency, headers: [(A2AProtocol.versionHeader, A2AProtocol.version)])
        let directCall = try DispatchOperations.direct(target: worker, text: configuration.input)
        let viaMaster = ClosedLoop(target: master, concurrency: concurrency)
        let masterCall = try DispatchOperations.viaMaster(
            target: master, skill: configuration.skill, text: configuration.input)
        let routedCall = try DispatchOperations.routed(
            target: master, skill: configuration.skill, text: configuration.input)
        let duration = configuration.durationSeconds.map { Duration.milliseconds(Int64($0 * 1000)) }
        if configuration.warmupTasks > 0 {
            _ = try await direct.run(count: configuration.warmupTasks, duration: nil, directCall)
            _ = try await viaMaster.run(count: configuration.warmupTasks, duration: nil, masterCall)
            _ = try await viaMaster.run(count: configuration.warmupTasks, duration: nil, routedCall)
        }
        func measure(_ loop: ClosedLoop, _ call: @escaping ClosedLoop.Operation, _ name: String) async throws
            -> DispatchBenchReport.Path
        {
            let before = CPUSnapshot.take(processes)
            let figures = try await loop.run(count: configuration.tasks, duration: duration, call)
            guard figures.completed > 0 else { throw BenchError.noResponses("\(name): \(Self.summary(figures))") }
            var path = DispatchBenchReport.Path(figures)
            path.cpuMsPerTask = before.perTask(until: CPUSnapshot.take(processes), tasks: path.tasks)
            return path
        }
        func measureDirect() async throws -> DispatchBenchReport.Path {
            try await measure(direct, directCall, "\(worker) (SendMessage)")
        }
        func measureMaster() async throws -> DispatchBenchReport.Path {
            try await measure(viaMaster, masterCall, "\(master) (POST /task, GET /result)")
        }
        func measureRouted() async throws -> DispatchBenchReport.Path {
            try await measure(viaMaster, routedCall, "\(master) (POST /dispatch)")
        }
        // Odd rounds run the paths in reverse order, so none always runs on the warmer (or drifting) machine.
        var rounds: [DispatchBenchReport.Round] = []
        for round in 0..<configuration.rounds {
            if round.isMultiple(of: 2) {
                let directPath = try await measureDirect()
                let masterPath = try await measureMaster()
                rounds.append(.init(direct: directPath, viaMaster: masterPath, routed: try await measureRouted()))
            } else {
                let routedPath = try await measureRouted()
                let masterPath = try await measureMaster()
                rounds.append(.init(direct: try await measureDirect(), viaMaster: masterPath, routed: routedPath))
            }
        }
        return DispatchBenchReport(
            master: master.description, worker: worker.description, skill: configuration.skill,
            concurrency: concurrency, spawned: spawned, rounds: rounds)
    }

    static func summary(_ figures: PathMeasurement) -> String {
        "\(figures.failed) tasks failed, \(figures.httpErrors) unexpected answers"
    }
}
