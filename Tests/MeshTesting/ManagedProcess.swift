import A2AClient
import AsyncHTTPClient
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process that a test starts, waits for, and stops by its pid.
///
/// Its stdout and stderr go to files, so a failing test can show what the process said.
public final class ManagedProcess: Sendable {
    public let name: String
    public let pid: pid_t
    public let stdoutPath: String
    public let stderrPath: String
    private let exitStatus = Mutex<Int32?>(nil)

    private init(name: String, pid: pid_t, stdoutPath: String, stderrPath: String) {
        self.name = name
        self.pid = pid
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    /// Starts `executable` (a path, or a name looked up in `PATH`) with `arguments`.
    ///
    /// `environment` is added to, and overrides, this process's environment.
    public static func launch(
        name: String, executable: String, arguments: [String] = [], environment: [String: String] = [:]
    ) throws -> ManagedProcess {
        let logDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("mesh-tests")
        try FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        let stem = logDirectory.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))").path
        let stdoutPath = stem + ".stdout"
        let stderrPath = stem + ".stderr"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let merged = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        // The test runner's threads block SIGTERM and others; a child would inherit that mask and ignore
        // terminate()'s SIGTERM until SIGKILL. Start children with no blocked signals and default handlers.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2] {
            sigaddset(&defaultSignals, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw MeshTestingError.launchFailed(executable: executable, errno: result) }
        return ManagedProcess(name: name, pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// Runs `body` with a launched process, then stops the process whether `body` returned or threw.
    public static func withLaunched<Result: Sendable>(
        name: String, executable: String, arguments: [String] = [], environment: [String: String] = [:],
        _ body: (ManagedProcess) async throws -> Result
    ) async throws -> Result {
        let process = try launch(name: name, executable: executable, arguments: arguments, environment: environment)
        do {
            let result = try await body(process)
            await process.terminate()
            process.removeLogs()  // kept only when something failed
            return result
        } catch {
            await process.terminate()
            throw error
        }
    }

    /// The exit status once the process has ended (reaped without blocking).
    public var exitCode: Int32? {
        exitStatus.withLock { status in
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { status = raw }
            }
            return status
        }
    }

    /// True until the process has ended.
    public var isRunning: Bool { exitCode == nil }

    /// Polls `url` until it answers with any HTTP status; fails early if the process exits.
    public func waitUntilReady(
        url: String, timeout: Duration = .seconds(30), httpClient: HTTPClient = A2AClient.defaultHTTPClient
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = exitCode {
                throw MeshTestingError.exitedEarly(name: name, status: status, stderrTail: stderrTail())
            }
            do {
                let response = try await httpClient.execute(HTTPClientRequest(url: url), timeout: .seconds(1))
                _ = try await response.body.collect(upTo: 1 << 20)
                return
            } catch {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw MeshTestingError.notReady(name: name, url: url, timeout: timeout, stderrTail: stderrTail())
    }

    /// Sends SIGTERM, and SIGKILL if the process is still there after `grace`; then reaps it.
    ///
    /// It also runs to the end in a cancelled task, so a test that times out still stops its processes.
    public func terminate(grace: Duration = .seconds(5)) async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning, ContinuousClock.now < deadline {
            await pause()
        }
        guard isRunning else { return }
        kill(pid, SIGKILL)
        while isRunning {
            await pause()
        }
    }

    private func pause() async {
        if Task.isCancelled {
            usleep(20_000)  // Task.sleep would return at once and turn the wait into a busy loop
        } else {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Everything the process wrote to stdout so far.
    public func standardOutput() -> String {
        (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
    }

    /// Everything the process wrote to stderr so far.
    public func standardError() -> String {
        (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
    }

    /// Deletes the stdout and stderr files.
    public func removeLogs() {
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
    }

    /// The last lines of stderr, for error messages.
    public func stderrTail(lines: Int = 20) -> String {
        standardError().split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
