import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A process that `mesh up` started: its pid and the read end of the pipe its stdout and stderr share.
struct ChildProcess: Sendable {
    let pid: pid_t
    /// The read end of the output pipe; whoever reads it closes it.
    let output: CInt

    /// Starts `executable` with `arguments` and exactly `environment`, stdin on /dev/null, stdout and stderr
    /// into one pipe.
    ///
    /// The child gets its own process group, so a Ctrl-C in the terminal reaches `mesh up` alone, which then
    /// stops the children in order. It starts with no blocked signals and default handlers: `mesh up` ignores
    /// SIGTERM and SIGINT itself (ServiceLifecycle handles them), and ignored signals survive `exec`.
    static func spawn(executable: String, arguments: [String], environment: [String: String]) throws -> ChildProcess {
        // Pipes are made close-on-exec under the same lock as the spawn, so no other child inherits them.
        try spawnLock.withLock { _ in
            var fds: [CInt] = [-1, -1]
            guard pipe(&fds) == 0 else { throw SpawnError(executable: executable, errno: errno) }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            let (readEnd, writeEnd) = (fds[0], fds[1])

            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
            posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)

            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var noSignals = sigset_t()
            sigemptyset(&noSignals)
            posix_spawnattr_setsigmask(&attributes, &noSignals)
            var defaults = sigset_t()
            sigemptyset(&defaults)
            for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGUSR1, SIGUSR2, SIGCHLD] {
                sigaddset(&defaults, signal)
            }
            posix_spawnattr_setsigdefault(&attributes, &defaults)
            posix_spawnattr_setpgroup(&attributes, 0)
            posix_spawnattr_setflags(
                &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

            let argv = ([executable] + arguments).map { strdup($0) } + [nil]
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { for pointer in argv + envp { free(pointer) } }
            var pid: pid_t = 0
            let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
            close(writeEnd)
            guard result == 0 else {
                close(readEnd)
                throw SpawnError(executable: executable, errno: result)
            }
            return ChildProcess(pid: pid, output: readEnd)
        }
    }

    /// How the process ended, once it has (reaped without blocking); nil while it runs.
    func reap() -> ExitStatus? {
        var raw: Int32 = 0
        let result = waitpid(pid, &raw, WNOHANG)
        if result == pid { return ExitStatus(waitStatus: raw) }
        // Someone else reaped it (it cannot be ours any more): count it as gone.
        if result == -1, errno == ECHILD { return .unknown }
        return nil
    }

    /// Sends `signal`; a process that is already gone is not an error.
    func send(_ signal: Int32) {
        kill(pid, signal)
    }
}

/// A child that could not be started, e.g. an executable missing from `PATH`.
struct SpawnError: Error, CustomStringConvertible {
    var executable: String
    var errno: Int32
    var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
}

/// How a child ended.
enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// Reaped elsewhere; the status is lost.
    case unknown

    init(waitStatus raw: Int32) {
        let signal = raw & 0x7F
        self = signal == 0 ? .exited((raw >> 8) & 0xFF) : .signaled(signal)
    }

    var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "was killed by \(signalName(signal))"
        case .unknown: "ended"
        }
    }
}

/// `SIGKILL` for 9, and so on for the signals a supervisor meets.
func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [
        SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGABRT: "SIGABRT", SIGKILL: "SIGKILL",
        SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGTERM: "SIGTERM", SIGBUS: "SIGBUS", SIGILL: "SIGILL",
        SIGTRAP: "SIGTRAP", SIGFPE: "SIGFPE",
    ]
    return names[signal] ?? "signal \(signal)"
}

private let spawnLock = Mutex(())
