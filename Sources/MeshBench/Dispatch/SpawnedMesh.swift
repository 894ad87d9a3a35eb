import Foundation
import Redis

#if canImport(Glibc)
    import Glibc
#endif

/// The pieces `mesh bench dispatch` starts as its own child processes: redis-server (AOF on), one worker
/// and the master, from temporary mesh files.
struct SpawnedMesh {
    let files: DispatchMeshFiles
    let redis: BenchRedisServer
    let worker: BenchChildProcess
    let master: BenchChildProcess
    let masterTarget: BenchTarget
    let workerTarget: BenchTarget
    /// The credentials when authentication is on.
    let auth: BenchAuth?

    /// Starts everything and waits until the master lists the worker's skill.
    static func start(_ configuration: DispatchBenchConfiguration, auth: BenchAuth? = nil) async throws -> SpawnedMesh {
        let timeout = Duration.milliseconds(Int64(configuration.startTimeoutSeconds * 1000))
        let files = try DispatchMeshFiles.create()
        var started: [BenchChildProcess] = []
        do {
            let redisDirectory = files.directory.appendingPathComponent("redis")
            try FileManager.default.createDirectory(at: redisDirectory, withIntermediateDirectories: true)
            let redis = try await BenchRedisServer.start(
                executable: configuration.redisServer, directory: redisDirectory, timeout: timeout)
            started.append(redis.process)
            let masterPort = try BenchChildProcess.freeLoopbackPort()
            var workerPort = try BenchChildProcess.freeLoopbackPort()
            while workerPort == masterPort { workerPort = try BenchChildProcess.freeLoopbackPort() }
            try files.write(
                skill: configuration.skill, masterPort: masterPort, workerPort: workerPort, redisURL: redis.url,
                auth: auth)
            let environment = childEnvironment(redisURL: redis.url, masterURL: "http://127.0.0.1:\(masterPort)")
            func startAgent(_ name: String, port: Int) throws -> BenchChildProcess {
                let process = try BenchChildProcess(
                    executable: configuration.meshExecutable,
                    arguments: ["agent", name, "--config", files.meshFile, "--port", "\(port)"],
                    environment: environment)
                started.append(process)
                return process
            }
            let worker = try startAgent(DispatchMeshFiles.workerName, port: workerPort)
            let workerTarget = try await waitForCard(
                worker, url: "http://127.0.0.1:\(workerPort)", until: ContinuousClock.now + timeout)
            let master = try startAgent(DispatchMeshFiles.masterName, port: masterPort)
            let masterTarget = try BenchTarget(url: "http://127.0.0.1:\(masterPort)/")
            try await waitForSkill(
                master, at: masterTarget, skill: configuration.skill, apiKey: auth?.apiKey,
                until: ContinuousClock.now + timeout)
            return SpawnedMesh(
                files: files, redis: redis, worker: worker, master: master, masterTarget: masterTarget,
                workerTarget: workerTarget, auth: auth)
        } catch {
            for process in started.reversed() { await process.stop(keepLog: true) }
            files.remove()
            throw error
        }
    }

    /// The processes whose CPU the report shows per task; this one is the bench.
    var processes: [(name: String, pid: Int32?)] {
        [("bench", nil), ("master", master.pid), ("worker", worker.pid), ("redis", redis.process.pid)]
    }

    /// Stops the master, the worker and Redis, in that order, and removes the files.
    func stop(keepLogs: Bool = false) async {
        await master.stop(keepLog: keepLogs)
        await worker.stop(keepLog: keepLogs)
        await redis.process.stop(keepLog: keepLogs)
        files.remove()
    }

    /// The children's environment: this one's, with every variable that would override the files cleared.
    static func childEnvironment(redisURL: String, masterURL: String) -> [String: String] {
        var environment: [String: String] = [:]
        for name in RedisConfiguration.environmentVariables + [
            "AGENT_ID", "LLM_GATEWAY_URL", "CAPABILITIES", "MESH_DISCOVERY", "MESH_REGISTRY_URL",
            "MESH_ADVERTISE_HOST", "MESH_KEY", "MESH_KEY_FILE", "MESH_JWT_SECRET", "MESH_JWT_SECRET_FILE",
        ] {
            environment[name] = ""
        }
        environment["REDIS_URL"] = redisURL
        environment["MASTER_URL"] = masterURL
        if (ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "").isEmpty { environment["LOG_LEVEL"] = "warning" }
        // The bench, Redis, the master and the worker share this machine's cores: one event loop per process, as
        // `mesh up` gives its children (MeshRuntime's `EventLoopCount`), unless the caller chose a count.
        if (ProcessInfo.processInfo.environment["MESH_EVENT_LOOPS"] ?? "").isEmpty {
            environment["MESH_EVENT_LOOPS"] = "1"
        }
        return environment
    }

    static func waitForCard(
        _ process: BenchChildProcess, url: String, until deadline: ContinuousClock.Instant
    ) async throws -> BenchTarget {
        while ContinuousClock.now < deadline {
            if let target = try? await WorkerEndpoint.jsonRPCTarget(agentURL: url) { return target }
            try checkRunning(process, name: "the worker (mesh agent \(DispatchMeshFiles.workerName))")
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError.invalidOption(
            "the worker's card at \(url) did not answer in time; its log: \(process.logPath)")
    }

    static func waitForSkill(
        _ process: BenchChildProcess, at master: BenchTarget, skill: String, apiKey: String? = nil,
        until deadline: ContinuousClock.Instant
    ) async throws {
        while ContinuousClock.now < deadline {
            if (try? await WorkerEndpoint.agentURL(master: master, skill: skill, apiKey: apiKey)) != nil { return }
            try checkRunning(process, name: "the master (mesh agent \(DispatchMeshFiles.masterName))")
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError.invalidOption(
            "the master at \(master) did not list an agent with skill \(skill) in its /status in time; "
                + "its log: \(process.logPath)")
    }

    private static func checkRunning(_ process: BenchChildProcess, name: String) throws {
        guard process.hasExited else { return }
        let tail = process.logTail()
        throw BenchError.invalidOption(
            "\(name) exited at start" + (tail.isEmpty ? "" : ": \(tail)") + " (log: \(process.logPath))")
    }
}
