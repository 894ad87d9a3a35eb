import A2A
import AsyncHTTPClient
import Foundation
import MeshTesting
import NIOCore
import NIOHTTP1
import NIOFoundationCompat
import Synchronization
import Testing

/// A mesh of real `mesh agent` processes on free ports around a TLS redis-server with an ACL user: the master
/// and the agents asked for, all found by static discovery, with the sample corpus ingested.
final class MasterMesh: Sendable {
    struct Agent: Sendable {
        var name: String
        var replicas = 1
    }

    let redis: RedisServer
    let directory: String
    /// Port per process key (`worker-b`, `worker-b#2`).
    let ports: [String: Int]
    let environment: [String: String]
    private let processes = Mutex<[String: ManagedProcess]>([:])

    var masterURL: String { "http://127.0.0.1:\(ports["master"]!)" }

    private init(redis: RedisServer, directory: String, ports: [String: Int], environment: [String: String]) {
        self.redis = redis
        self.directory = directory
        self.ports = ports
        self.environment = environment
    }

    /// Starts Redis and every agent (the master last), runs `body`, then stops everything.
    static func with<Result: Sendable>(
        agents: [Agent], extraAgentFiles: [String: String] = [:], masterEnvironment: [String: String] = [:],
        meshFileExtra: String = "", _ body: (MasterMesh) async throws -> Result
    ) async throws -> Result {
        try await HeavyTests.exclusive {
            try await run(agents, extraAgentFiles, masterEnvironment, meshFileExtra, body)
        }
    }

    private static func run<Result: Sendable>(
        _ agents: [Agent], _ extraAgentFiles: [String: String], _ masterEnvironment: [String: String],
        _ meshFileExtra: String, _ body: (MasterMesh) async throws -> Result
    ) async throws -> Result {
        try await RedisServer.with(mode: .tls, appendOnly: true) { redis in
            let mesh = try make(
                redis: redis, agents: agents, extraAgentFiles: extraAgentFiles, masterEnvironment: masterEnvironment,
                meshFileExtra: meshFileExtra)
            defer { try? FileManager.default.removeItem(atPath: mesh.directory) }
            do {
                try await mesh.ingestCorpus()
                for key in mesh.ports.keys.sorted() where key != "master" { try mesh.start(key) }
                for key in mesh.ports.keys.sorted() where key != "master" { try await mesh.waitReady(key) }
                if mesh.ports["master"] != nil {
                    try mesh.start("master")
                    try await mesh.waitReady("master")
                }
                let result = try await body(mesh)
                await mesh.stopAll()
                return result
            } catch {
                await mesh.stopAll()
                throw error
            }
        }
    }

    private static func make(
        redis: RedisServer, agents: [Agent], extraAgentFiles: [String: String], masterEnvironment: [String: String],
        meshFileExtra: String
    ) throws -> MasterMesh {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "master-mesh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("agents"), withIntermediateDirectories: true)
        var ports: [String: Int] = [:]
        for agent in agents {
            for replica in 1...agent.replicas {
                ports[replica == 1 ? agent.name : "\(agent.name)#\(replica)"] = try freeLoopbackPort()
            }
        }
        let peers = ports.filter { $0.key != "master" }.values.sorted().map { "\"http://127.0.0.1:\($0)\"" }
        let mesh = """
            mesh: { name: test, keyPrefix: "mesh:" }
            discovery: { modes: [static], static: [\(peers.joined(separator: ", "))] }
            agents:
            \(agents.map { "  - { name: \($0.name), replicas: \($0.replicas) }" }.joined(separator: "\n"))
            pipelines:
              default:
                steps: [plan, retrieve, evaluate, finalize]
                improve: { from: evaluate, to: plan, threshold: 0.7, maxRounds: 1 }
              quick: { steps: [retrieve] }
              load: { steps: [retrieve, finalize] }
            \(meshFileExtra)
            """
        try mesh.write(to: directory.appendingPathComponent("mesh.yaml"), atomically: true, encoding: .utf8)
        let root = try TestEnvironment.packageRoot()
        for agent in agents where extraAgentFiles[agent.name] == nil {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent("agents/\(agent.name).yaml"),
                to: directory.appendingPathComponent("agents/\(agent.name).yaml"))
        }
        for (name, text) in extraAgentFiles {
            try text.write(
                to: directory.appendingPathComponent("agents/\(name).yaml"), atomically: true, encoding: .utf8)
        }
        var environment = [
            "REDIS_URL": redis.url, "REDIS_CA_FILE": redis.caFile, "REDIS_HOST": "", "AGENT_ID": "", "CAPABILITIES": "",
            "MESH_DISCOVERY": "", "MASTER_URL": "", "LOG_LEVEL": "info", "LLM_PROVIDER": "",
            "MESH_RETRY_BACKOFF_MS": "50", "MESH_CLAIM_IDLE_SECONDS": "2", "MESH_SHUTDOWN_GRACE_SECONDS": "2",
        ]
        environment["LLM_GATEWAY_URL"] = ports["llm-gateway"].map { "http://127.0.0.1:\($0)" } ?? ""
        for (key, value) in masterEnvironment { environment["MASTER:" + key] = value }
        return MasterMesh(redis: redis, directory: directory.path, ports: ports, environment: environment)
    }

    /// `mesh ingest knowledge/` into this mesh's Redis.
    func ingestCorpus() async throws {
        let knowledge = try TestEnvironment.packageRoot().appendingPathComponent("knowledge").path
        let process = try ManagedProcess.launch(
            name: "mesh-ingest", executable: try TestEnvironment.meshBinary(),
            arguments: ["ingest", knowledge], environment: processEnvironment(for: "ingest"))
        defer { process.removeLogs() }
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(process.exitCode == 0, "mesh ingest: \(process.stderrTail())")
    }

    func processEnvironment(for key: String) -> [String: String] {
        var result = environment.filter { !$0.key.hasPrefix("MASTER:") }
        if key == "master" {
            for (name, value) in environment where name.hasPrefix("MASTER:") {
                result[String(name.dropFirst(7))] = value
            }
        }
        return result
    }

    /// Starts (or restarts) the process `key` (`worker-b#2` is worker-b's second replica).
    func start(_ key: String) throws {
        let name = String(key.split(separator: "#")[0])
        let process = try ManagedProcess.launch(
            name: "mesh-\(key.replacingOccurrences(of: "#", with: "-"))", executable: try TestEnvironment.meshBinary(),
            arguments: ["agent", name, "--config", directory + "/mesh.yaml", "--port", "\(ports[key]!)"],
            environment: processEnvironment(for: key))
        let previous = processes.withLock { processes in
            defer { processes[key] = process }
            return processes[key]
        }
        previous?.removeLogs()
    }

    func waitReady(_ key: String) async throws {
        let process = try #require(processes.withLock { $0[key] })
        try await process.waitUntilReady(url: "http://127.0.0.1:\(ports[key]!)/ping")
    }

    /// SIGKILLs the process `key`.
    func kill(_ key: String) {
        guard let process = processes.withLock({ $0[key] }) else { return }
        Foundation.kill(process.pid, SIGKILL)
    }

    func process(_ key: String) -> ManagedProcess? { processes.withLock { $0[key] } }

    /// Every process's log, for failure messages and trace checks.
    func logs(_ key: String) -> String {
        guard let process = process(key) else { return "" }
        return process.standardOutput() + process.standardError()
    }

    func stopAll() async {
        let all = processes.withLock { processes in
            defer { processes = [:] }
            return processes
        }
        // The master first, as `mesh up` does.
        if let master = all["master"] { await master.terminate(grace: .seconds(5)) }
        for (key, process) in all where key != "master" { await process.terminate(grace: .seconds(5)) }
        for process in all.values { process.removeLogs() }
    }

    // MARK: HTTP

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    func request(
        _ method: HTTPMethod, _ path: String, json: String? = nil, headers: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: masterURL + path)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .init(timeout))
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(buffer: body))
    }

    /// The dispatch stream's length once it drained, or after 20 s. An acknowledgement lost to a crash or a Redis
    /// restart is redone when the entry is claimed again (after claimIdle), so the stream empties eventually.
    func dispatchEntriesLeft() async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        var length = Int(try await redis.redisCLI("XLEN", "mesh:dispatch")) ?? -1
        while length != 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            length = Int(try await redis.redisCLI("XLEN", "mesh:dispatch")) ?? -1
        }
        return length
    }

    /// Submits a task and returns its id.
    func submit(_ json: String, headers: [String: String] = [:]) async throws -> String {
        let reply = try await request(.POST, "/task", json: json, headers: headers)
        #expect(reply.status == 202, "\(reply.text)")
        return try #require(reply.json["id"] as? String, "\(reply.text)")
    }

    /// Waits for the task's result (`GET /result/{id}?wait=`), up to `timeout`.
    func result(
        _ id: String, timeout: Duration = .seconds(120), headers: [String: String] = [:]
    ) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let reply = try? await request(
                .GET, "/result/\(id)?wait=10", headers: headers, timeout: .seconds(20)), reply.status == 200
            {
                return reply.json
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("task \(id) did not finish within \(timeout)")
        return [:]
    }

    /// The SSE events of a task until the stream ends: (id, type, data).
    func events(_ id: String, after: String? = nil) async throws -> [(id: String, type: String, data: [String: Any])] {
        var headers: [String: String] = [:]
        if let after { headers["Last-Event-ID"] = after }
        let reply = try await request(.GET, "/task/\(id)/events", headers: headers, timeout: .seconds(120))
        var events: [(String, String, [String: Any])] = []
        for block in reply.text.components(separatedBy: "\n\n") where !block.isEmpty {
            var eventID = "", type = "", data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { eventID = String(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { type = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            guard !type.isEmpty else { continue }
            let object = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
            events.append((eventID, type, object))
        }
        return events
    }
}
