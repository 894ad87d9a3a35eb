import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real `redis-server` on 127.0.0.1, on a free port, in a temporary directory of its own.
///
/// It runs with an ACL user (``username``/``password``, all commands and keys) and the same password for
/// the `default` user (`requirepass`). Certificates for TLS are generated at start in every mode, so a
/// test can also point a TLS client at a plain server. Stop it with ``stop()``, which removes the directory;
/// a server that is dropped without `stop()` is killed in `deinit`.
///
/// ```swift
/// try await RedisServer.with(mode: .tls) { server async throws in
///     #expect(try await server.redisCLI("PING") == "PONG")
/// }
/// ```
public final class RedisServer: Sendable {
    /// How clients reach the server.
    public enum Mode: String, Sendable, CaseIterable {
        /// Plain TCP on ``port``.
        case plain
        /// TLS only on ``port`` (`port 0`, `tls-port N`); client certificates are not asked for.
        case tls
        /// TLS on ``port`` and the client must present a certificate signed by ``caFile``.
        case mutualTLS
    }

    public let mode: Mode
    /// Always `127.0.0.1`.
    public let host = "127.0.0.1"
    /// The port clients connect to: the TLS port in TLS modes. It stays the same across ``restart()``.
    public let port: Int
    /// The ACL user with `+@all` on all keys and channels.
    public let username: String
    /// The ACL user's password, also `requirepass` for the `default` user.
    public let password: String
    /// Whether the append-only file is on (`appendfsync always`), so acknowledged writes survive a restart.
    public let appendOnly: Bool
    /// The server's working directory: config, data, log, pidfile and certificates.
    public let directory: String
    /// The generated certificates (also available as ``caFile`` and friends).
    public let certificates: RedisCertificates
    /// The generated `redis.conf`.
    public let configFile: String
    /// The server's log file; its tail is shown when the server fails to start.
    public let logFile: String

    private let process: Mutex<ManagedProcess?>

    /// The CA that signed the server and client certificates.
    public var caFile: String { certificates.caFile }
    /// The server's certificate (SAN `localhost`, `127.0.0.1`).
    public var certFile: String { certificates.certFile }
    /// The server's key.
    public var keyFile: String { certificates.keyFile }
    /// A client certificate signed by ``caFile``, for mutual TLS.
    public var clientCertFile: String { certificates.clientCertFile }
    /// The client certificate's key.
    public var clientKeyFile: String { certificates.clientKeyFile }
    /// A CA that did not sign the server's certificate.
    public var otherCAFile: String { certificates.otherCAFile }
    /// True in the TLS modes.
    public var usesTLS: Bool { mode != .plain }
    /// `host:port`, as error messages name the server.
    public var address: String { "\(host):\(port)" }
    /// The pid of the running server, or nil when it is stopped.
    public var pid: pid_t? { process.withLock { $0?.isRunning == true ? $0?.pid : nil } }

    /// A URL with the ACL user and password: `redis://mesh:PASSWORD@127.0.0.1:PORT` or `rediss://...`.
    ///
    /// The password is made of letters and digits unless one was passed to ``start(mode:appendOnly:username:password:extraConfig:)``,
    /// and it is not percent-encoded here.
    public var url: String { "\(usesTLS ? "rediss" : "redis")://\(username):\(password)@\(host):\(port)" }

    /// Generates certificates and a config, starts the server and waits until it answers PING.
    ///
    /// - Parameters:
    ///   - extraConfig: more `redis.conf` lines, e.g. `notify-keyspace-events KEA`.
    public static func start(
        mode: Mode = .plain, appendOnly: Bool = false, username: String = "mesh", password: String? = nil,
        extraConfig: [String] = []
    ) async throws -> RedisServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mesh-redis-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        do {
            let certificates = try await RedisCertificates.generate(
                in: (directory as NSString).appendingPathComponent("tls"))
            var lastError: Error = MeshTestingError.noFreePort(errno: 0)
            // The free port can be taken between the probe and redis-server's bind: try a few.
            for _ in 0..<3 {
                let server = RedisServer(
                    mode: mode, port: try freeLoopbackPort(), username: username,
                    password: password ?? randomPassword(), appendOnly: appendOnly, directory: directory,
                    certificates: certificates, extraConfig: extraConfig)
                try server.writeConfig(extraConfig: extraConfig)
                do {
                    try await server.launch()
                    return server
                } catch {
                    lastError = error
                    await server.stopProcess()
                    let log = (try? String(contentsOfFile: server.logFile, encoding: .utf8)) ?? ""
                    guard log.contains("Address already in use") else { break }
                    try? FileManager.default.removeItem(atPath: server.logFile)
                }
            }
            throw lastError
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Starts a server, runs `body` with it, and stops it whether `body` returned or threw.
    public static func with<Result: Sendable>(
        mode: Mode = .plain, appendOnly: Bool = false, username: String = "mesh", password: String? = nil,
        extraConfig: [String] = [], _ body: (RedisServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(
            mode: mode, appendOnly: appendOnly, username: username, password: password, extraConfig: extraConfig)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private init(
        mode: Mode, port: Int, username: String, password: String, appendOnly: Bool, directory: String,
        certificates: RedisCertificates, extraConfig: [String]
    ) {
        self.mode = mode
        self.port = port
        self.username = username
        self.password = password
        self.appendOnly = appendOnly
        self.directory = directory
        self.certificates = certificates
        configFile = (directory as NSString).appendingPathComponent("redis.conf")
        logFile = (directory as NSString).appendingPathComponent("redis.log")
        process = Mutex(nil)
    }

    deinit {
        // A safety net for a test that forgot stop(): never leave a redis-server behind.
        process.withLock { process in
            guard let process, process.isRunning else { return }
            kill(process.pid, SIGKILL)
            var status: Int32 = 0
            waitpid(process.pid, &status, 0)
        }
    }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its directory. Safe to call twice.
    public func stop() async {
        await stopProcess()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server and starts it again on the same port, with the same directory and data.
    ///
    /// With ``appendOnly`` every acknowledged write is still there afterwards.
    public func restart() async throws {
        await stopProcess()
        try await launch()
    }

    /// Kills the server with SIGKILL, as a crash would, without removing anything; ``restart()`` brings it back.
    public func crash() async {
        guard let running = process.withLock({ $0 }), running.isRunning else { return }
        kill(running.pid, SIGKILL)
        while running.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
    }

    /// Stops the server gracefully (SIGTERM) without removing anything; ``restart()`` brings it back.
    public func stopProcess() async {
        guard let running = process.withLock({ $0 }) else { return }
        await running.terminate()
        running.removeLogs()
    }

    /// The redis-cli options that reach this server as the ACL user, with TLS options as the mode needs.
    public var redisCLIConnectionArguments: [String] {
        var arguments = ["-h", host, "-p", String(port), "--user", username, "--pass", password, "--no-auth-warning"]
        if usesTLS { arguments += ["--tls", "--cacert", caFile] }
        if mode == .mutualTLS { arguments += ["--cert", clientCertFile, "--key", clientKeyFile] }
        return arguments
    }

    /// Runs `redis-cli` against this server as the ACL user and returns its output without the final newline.
    ///
    /// Error replies are output, not failures: `redis-cli` prints them (e.g. `ERR unknown command`) and exits 0.
    @discardableResult
    public func redisCLI(_ arguments: [String]) async throws -> String {
        let output = try await runTool("redis-cli", redisCLIConnectionArguments + arguments, timeout: .seconds(10))
        return output.hasSuffix("\n") ? String(output.dropLast()) : output
    }

    /// Runs `redis-cli` against this server as the ACL user.
    @discardableResult
    public func redisCLI(_ arguments: String...) async throws -> String {
        try await redisCLI(arguments)
    }

    /// The last lines of the server's log.
    public func logTail(lines: Int = 30) -> String {
        let log = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return log.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    private func writeConfig(extraConfig: [String]) throws {
        var lines = [
            "bind 127.0.0.1",
            "daemonize no",
            "dir \(directory)",
            "pidfile \((directory as NSString).appendingPathComponent("redis.pid"))",
            "logfile \(logFile)",
            "save \"\"",
            "appendonly \(appendOnly ? "yes" : "no")",
            "appendfsync always",
            "requirepass \(password)",
            "user \(username) on >\(password) ~* &* +@all",
        ]
        switch mode {
        case .plain:
            lines.append("port \(port)")
        case .tls, .mutualTLS:
            lines += [
                "port 0",
                "tls-port \(port)",
                "tls-cert-file \(certFile)",
                "tls-key-file \(keyFile)",
                "tls-ca-cert-file \(caFile)",
                "tls-auth-clients \(mode == .mutualTLS ? "yes" : "no")",
            ]
        }
        try (lines + extraConfig).joined(separator: "\n").appending("\n")
            .write(toFile: configFile, atomically: true, encoding: .utf8)
    }

    private func launch() async throws {
        let launched = try ManagedProcess.launch(
            name: "redis-server-\(port)", executable: "redis-server", arguments: [configFile])
        process.withLock { $0 = launched }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if let status = launched.exitCode {
                throw MeshTestingError.exitedEarly(
                    name: "redis-server on \(address)", status: status, stderrTail: logTail() + launched.stderrTail())
            }
            if (try? await redisCLI(["PING"])) == "PONG" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MeshTestingError.notReady(
            name: "redis-server", url: "\(usesTLS ? "rediss" : "redis")://\(address)", timeout: .seconds(20),
            stderrTail: logTail())
    }
}

private func randomPassword() -> String {
    let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    return String((0..<24).map { _ in alphabet.randomElement()! })
}
