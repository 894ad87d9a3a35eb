import Foundation

/// The resident set size of a process, read from Linux's `/proc/PID/status`.
public enum ResidentMemory {
    /// `VmRSS` of `pid` in bytes, or nil when the process or the field is missing.
    public static func bytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        return parseVmRSS(status)
    }

    /// The `VmRSS:  1234 kB` line of a status file, in bytes.
    static func parseVmRSS(_ status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.dropFirst("VmRSS:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let kilobytes = fields.first.flatMap({ Int($0) }) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
