import Foundation
import Synchronization

/// Avahi's own client, `avahi-browse`, watching `_a2a._tcp` beside the benchmark's directory: the reference
/// the mDNS figures are compared against.
///
/// Its parsable output goes to a file that is tailed every 2 ms; each line is stamped when it is read, so the
/// reference's times are as late as the tail, never earlier.
final class AvahiBrowseReference: Sendable {
    private let resolved = Mutex<[String: ContinuousClock.Instant]>([:])
    private let removed = Mutex<[String: ContinuousClock.Instant]>([:])

    /// Runs `avahi-browse -rpk _a2a._tcp` until cancelled; returns at once if it cannot start.
    func run() async {
        guard let process = try? BenchChildProcess(
            executable: "/usr/bin/stdbuf", arguments: ["-oL", "avahi-browse", "-rpk", "_a2a._tcp"])
        else { return }
        defer { kill(process.pid, SIGTERM); var status: Int32 = 0; waitpid(process.pid, &status, 0) }
        var offset: UInt64 = 0
        var pending = ""
        while !Task.isCancelled {
            if let handle = FileHandle(forReadingAtPath: process.logPath) {
                try? handle.seek(toOffset: offset)
                let data = (try? handle.readToEnd()) ?? Data()
                try? handle.close()
                if !data.isEmpty {
                    offset += UInt64(data.count)
                    pending += String(decoding: data, as: UTF8.self)
                    let now = ContinuousClock.now
                    while let newline = pending.firstIndex(of: "\n") {
                        record(pending[..<newline], at: now)
                        pending = String(pending[pending.index(after: newline)...])
                    }
                }
            }
            try? await Task.sleep(for: .milliseconds(2))
        }
        try? FileManager.default.removeItem(atPath: process.logPath)
    }

    /// `=;lo;IPv4;NAME;_a2a._tcp;...` is a resolved service, `-;lo;IPv4;NAME;...` a removed one.
    private func record(_ line: Substring, at time: ContinuousClock.Instant) {
        let fields = line.split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count > 3 else { return }
        let name = String(fields[3])
        switch fields[0] {
        case "=": resolved.withLock { if $0[name] == nil { $0[name] = time } }
        case "-": removed.withLock { if $0[name] == nil { $0[name] = time } }
        default: break
        }
    }

    /// When the service `name` was first seen resolved, and first seen removed.
    func times(of name: String) -> (resolved: ContinuousClock.Instant?, removed: ContinuousClock.Instant?) {
        (resolved.withLock { $0[name] }, removed.withLock { $0[name] })
    }
}
