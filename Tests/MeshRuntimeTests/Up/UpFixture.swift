import Foundation
import MeshTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A mesh for `mesh up` in a temporary directory: `mesh.yaml`, the shipped agent files on free ports, and a
/// state directory; and the `mesh up` process running it.
struct UpFixture {
    let directory: String
    let configFile: String
    let stateDir: String
    let redisPort: Int
    /// Each agent's port, by name.
    let ports: [String: Int]

    /// Writes `mesh.yaml` listing `agents` (name, replicas) with `discovery`, and copies their shipped
    /// `agents/<name>.yaml` with a free port each.
    init(agents: [(String, Int)], discovery: String = "modes: [static]", configText: String? = nil) throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("mesh-up-\(UUID().uuidString.prefix(8))")
            .path
        let agentsDirectory = (directory as NSString).appendingPathComponent("agents")
        try FileManager.default.createDirectory(atPath: agentsDirectory, withIntermediateDirectories: true)
        let shipped = try TestEnvironment.packageRoot().appendingPathComponent("agents")
        var ports: [String: Int] = [:]
        for (name, _) in agents {
            let port = try freeLoopbackPort()
            let text = try String(contentsOf: shipped.appendingPathComponent("\(name).yaml"), encoding: .utf8)
            let moved = text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("port:") ? "port: \(port)" : String($0) }.joined(separator: "\n")
            try moved.write(
                toFile: (agentsDirectory as NSString).appendingPathComponent("\(name).yaml"), atomically: true,
                encoding: .utf8)
            ports[name] = port
        }
        self.ports = ports
        configFile = (directory as NSString).appendingPathComponent("mesh.yaml")
        let listed = agents.map { "  - { name: \($0.0), replicas: \($0.1) }" }.joined(separator: "\n")
        let text =
            configText ?? """
                mesh: { name: up-test, keyPrefix: "uptest:" }
                discovery:
                  \(discovery)
                llm: { providers: [ { kind: offline } ] }
                agents:
                \(listed)
                pipelines:
                  default:
                    steps: [plan, retrieve, evaluate, finalize]
                    improve: { from: evaluate, to: plan, threshold: 0.7, maxRounds: 1 }
                """
        try text.write(toFile: configFile, atomically: true, encoding: .utf8)
        stateDir = (directory as NSString).appendingPathComponent("state")
        redisPort = try freeLoopbackPort()
    }

    /// `mesh up` on this fixture, with no colours.
    func launch(_ extra: [String] = []) throws -> ManagedProcess {
        try ManagedProcess.launch(
            name: "mesh-up", executable: try TestEnvironment.meshBinary(),
            arguments: [
                "up", "--config", configFile, "--state-dir", stateDir, "--redis-port", "\(redisPort)", "--no-color",
            ] + extra,
            environment: ["LOG_LEVEL": "info"])
    }

    var upFile: String { (stateDir as NSString).appendingPathComponent("up.json") }
    var caFile: String { (stateDir as NSString).appendingPathComponent("redis/tls/ca.crt") }
    var passwordFile: String { (stateDir as NSString).appendingPathComponent("redis/password") }

    /// The parsed `up.json`.
    func state() throws -> UpState {
        let data = try #require(FileManager.default.contents(atPath: upFile), "no \(upFile)")
        return try JSONDecoder().decode(UpState.self, from: data)
    }

    func password() throws -> String {
        try String(contentsOfFile: passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes the directory; call it after every process is stopped.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The parts of `up.json` the tests read.
struct UpState: Decodable {
    struct Process: Decodable {
        var name: String
        var agent: String?
        var url: String
        var pid: Int32?
        var ready: Bool
    }
    struct Redis: Decodable {
        var url: String
        var caFile: String?
        var managed: Bool
    }
    var status: String
    var pid: Int32
    var redis: Redis
    var processes: [Process]

    func process(_ name: String) -> Process? { processes.first { $0.name == name } }
}

/// Waits until `process`'s stdout contains `text`; fails when it exits first or `timeout` passes.
@discardableResult
func waitForOutput(
    _ process: ManagedProcess, containing text: String, timeout: Duration = .seconds(60)
) async throws -> String {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        let output = process.standardOutput()
        if output.contains(text) { return output }
        if !process.isRunning {
            Issue.record("mesh up exited before printing '\(text)':\n\(output)\n\(process.standardError())")
            throw UpTestFailure()
        }
        try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("no '\(text)' within \(timeout):\n\(process.standardOutput())\n\(process.standardError())")
    throw UpTestFailure()
}

/// Waits until `process` has exited; returns its raw wait status, or nil if it was still running at `timeout`.
func waitForExit(_ process: ManagedProcess, timeout: Duration) async throws -> Int32? {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if let status = process.exitCode { return status }
        try await Task.sleep(for: .milliseconds(50))
    }
    return process.exitCode
}

/// Whether a process with `pid` runs. These are not the test's children, so an ended one may linger as a
/// zombie until init reaps it: that counts as ended.
func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    guard let close = stat.lastIndex(of: ")") else { return true }
    return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
}

/// Stops what an aborted test left running: `mesh up` first, then the children it recorded, by pid.
func cleanUp(_ process: ManagedProcess, fixture: UpFixture) async {
    let recorded = (try? fixture.state().processes.compactMap(\.pid)) ?? []
    await process.terminate(grace: .seconds(30))
    for pid in recorded where isAlive(pid) {
        kill(pid, SIGKILL)
    }
}

/// `redis-cli` against the fixture's Redis: everything it printed (stdout and stderr) and its exit status.
func redisCLI(port: Int, _ arguments: [String]) async throws -> (output: String, status: Int32) {
    let process = try ManagedProcess.launch(
        name: "redis-cli", executable: "redis-cli", arguments: ["-h", "127.0.0.1", "-p", "\(port)"] + arguments)
    defer { process.removeLogs() }
    guard let status = try await waitForExit(process, timeout: .seconds(10)) else {
        await process.terminate(grace: .milliseconds(100))
        return ("(redis-cli timed out)", -1)
    }
    return (
        (process.standardOutput() + process.standardError()).trimmingCharacters(in: .whitespacesAndNewlines), status
    )
}

struct UpTestFailure: Error {}
