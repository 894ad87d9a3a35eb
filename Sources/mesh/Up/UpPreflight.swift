import Foundation
import MDNS
import Redis

/// Checks `mesh up` makes before it starts anything, each failing with a message that says what to do.
enum UpPreflight {
    /// Fails unless avahi-daemon answers, which discovery mode `mdns` needs.
    static func requireAvahi(configFile: String) async throws {
        do {
            try await MDNSBrowser().withEvents { _ in }
        } catch {
            throw UpFailure(
                "discovery mode mdns (\(configFile): discovery.modes) needs avahi-daemon: \(error). "
                    + "Or use `modes: [registry]` in \(configFile), which needs no daemon.")
        }
    }

    /// Waits until an external Redis answers, for up to `timeout`; fails with the last reason.
    static func waitForRedis(_ configuration: RedisConfiguration, timeout: Duration, console: UpConsole) async throws {
        let deadline = ContinuousClock.now + timeout
        var reported = false
        while true {
            do {
                try await verifyRedis(configuration)
                return
            } catch {
                if ContinuousClock.now >= deadline {
                    throw UpFailure(
                        "Redis at \(configuration.redactedURL) did not answer within \(format(timeout)): \(error)")
                }
                if !reported {
                    console.note("waiting for Redis at \(configuration.redactedURL): \(error)")
                    reported = true
                }
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    /// Deals with the `up.json` of an earlier `mesh up` in the same state directory.
    ///
    /// When that `mesh up` still runs, this one must not start (their Redis and ports would collide). When it
    /// died without stopping its children (SIGKILL, a crash), the children it recorded are still running:
    /// they are stopped here, each only if its command line is still the recorded one.
    static func handleEarlierRun(upFile: String, console: UpConsole) async throws {
        guard let earlier = UpStatus.read(upFile), earlier.status != "stopped" else { return }
        if earlier.pid != getpid(), kill(earlier.pid, 0) == 0, commandLine(of: earlier.pid)?.contains("up") == true {
            throw UpFailure(
                "another mesh up (pid \(earlier.pid)) is running with state directory \(earlier.stateDir); "
                    + "stop it first (Ctrl-C there, or `kill \(earlier.pid)`), or use another --state-dir")
        }
        let leftovers = earlier.processes.reversed().compactMap { process -> (String, pid_t)? in
            guard let pid = process.pid, isRunning(pid), isStill(process, pid: pid, stateDir: earlier.stateDir) else {
                return nil
            }
            return (process.name, pid)
        }
        for (name, pid) in leftovers {
            console.note("stopping \(name) (pid \(pid)), left running by an earlier mesh up that did not stop")
            kill(pid, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(10)
            while isRunning(pid), ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            if isRunning(pid) { kill(pid, SIGKILL) }
        }
    }

    /// Whether `pid` still runs what `process` recorded. redis-server renames itself, so it goes by its
    /// name and its pidfile instead.
    private static func isStill(_ process: UpStateFile.Process, pid: pid_t, stateDir: String) -> Bool {
        if process.name == "redis" {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            let pidFile = (stateDir as NSString).appendingPathComponent("redis/redis.pid")
            let recorded = (try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            return comm.hasPrefix("redis-server") && recorded == String(pid)
        }
        return commandLine(of: pid) == process.command
    }

    /// Whether `pid` runs; an ended process that nobody reaped yet (a zombie) does not.
    private static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        guard let close = stat.lastIndex(of: ")") else { return true }
        return !stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    /// The arguments of process `pid`, from `/proc`.
    private static func commandLine(of pid: pid_t) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
    }
}
