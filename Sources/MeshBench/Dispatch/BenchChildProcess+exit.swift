import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension BenchChildProcess {
    /// Whether the process has ended on its own; it is reaped then, and its log is kept.
    var hasExited: Bool {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        return reaped == pid || reaped == -1
    }

    /// The last lines of the process's log, for an error message.
    func logTail(lines: Int = 5) -> String {
        guard let text = try? String(contentsOfFile: logPath, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(lines).joined(separator: " | ")
    }
}
