import Foundation
import Redis

/// A `redis-server` the dispatch benchmark starts for itself: plain TCP on a free loopback port, with the
/// append-only file on (`appendfsync everysec`), as a mesh runs it, in a directory of its own.
struct BenchRedisServer {
    let process: BenchChildProcess
    let port: Int

    var url: String { "redis://127.0.0.1:\(port)" }

    /// Starts the server in `directory` and waits until it answers PING.
    static func start(executable: String, directory: URL, timeout: Duration) async throws -> BenchRedisServer {
        guard let path = resolve(executable) else {
            throw BenchError.invalidOption(
                "cannot find \(executable) (install redis-server or pass --redis-server PATH)")
        }
        let port = try BenchChildProcess.freeLoopbackPort()
        let process = try BenchChildProcess(
            executable: path,
            arguments: [
                "--port", "\(port)", "--bind", "127.0.0.1", "--dir", directory.path, "--appendonly", "yes",
                "--appendfsync", "everysec", "--save", "", "--protected-mode", "no", "--daemonize", "no",
            ])
        let server = BenchRedisServer(process: process, port: port)
        let configuration = try RedisConfiguration.load(url: server.url, environment: [:])
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let connection = try? await RedisConnection.connect(configuration: configuration) {
                let answered = (try? await connection.run(RedisCommand("PING"))) != nil
                await connection.close()
                if answered { return server }
            }
            if process.hasExited {
                throw BenchError.invalidOption("redis-server exited at start; its log: \(process.logPath)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        await process.stop(keepLog: true)
        throw BenchError.cannotConnect(host: "127.0.0.1", port: port, reason: "redis-server did not answer PING")
    }

    /// `name` as an executable path: as given when it holds a slash, else the first match in PATH.
    static func resolve(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
