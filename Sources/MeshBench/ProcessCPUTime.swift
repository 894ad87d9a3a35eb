import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The CPU time (user + system) a process has used, from `/proc/<pid>/stat`, so a benchmark can say where
/// each task's CPU went.
public enum ProcessCPUTime {
    /// Seconds of CPU used by `pid` (this process when nil), or nil when the process or the file is gone.
    public static func seconds(pid: Int32? = nil) -> Double? {
        let path = pid.map { "/proc/\($0)/stat" } ?? "/proc/self/stat"
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)" come the state (field 3) and, at fields 14 and 15, utime and stime in clock ticks.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// CPU seconds of a set of named processes, taken before and after a measurement.
struct CPUSnapshot: Sendable {
    let seconds: [String: Double]

    static func take(_ processes: [(name: String, pid: Int32?)]) -> CPUSnapshot {
        var seconds: [String: Double] = [:]
        for process in processes { seconds[process.name] = ProcessCPUTime.seconds(pid: process.pid) }
        return CPUSnapshot(seconds: seconds)
    }

    /// Milliseconds of CPU per task for each process between `self` and `later`.
    func perTask(until later: CPUSnapshot, tasks: Int) -> [String: Double] {
        guard tasks > 0 else { return [:] }
        var result: [String: Double] = [:]
        for (name, before) in seconds {
            guard let after = later.seconds[name] else { continue }
            result[name] = (after - before) * 1000 / Double(tasks)
        }
        return result
    }
}
