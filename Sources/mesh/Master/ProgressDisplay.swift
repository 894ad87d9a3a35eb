import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Shows a followed task's events on stderr: a progress bar redrawn in place on a terminal, with a line kept
/// for each finished, failed or retried step; one line per event otherwise (a pipe, a log file, CI).
struct ProgressDisplay {
    /// The event types that leave a line behind on a terminal; the others only move the bar.
    static let lastingTypes: Set<String> = [
        "step-completed", "step-failed", "retry", "improve", "dead-lettered", "replayed", "completed", "failed",
        "canceled",
    ]

    let interactive: Bool
    private var bar: String?
    private let write: (String) -> Void

    /// `interactive` defaults to whether stderr is a terminal; `write` to writing stderr unbuffered.
    init(interactive: Bool = isatty(STDERR_FILENO) == 1, write: @escaping (String) -> Void = Self.writeStandardError) {
        self.interactive = interactive
        self.write = write
    }

    /// Shows one event.
    mutating func show(_ event: MasterTaskEvent) {
        guard interactive else {
            write(Self.line(for: event) + "\n")
            return
        }
        let bar = Self.fit(Self.bar(for: event))
        if Self.lastingTypes.contains(event.type) && !event.isTerminal {
            write("\r\u{1B}[K" + Self.fit(Self.line(for: event)) + "\n" + bar)
        } else {
            write("\r\u{1B}[K" + bar + (event.isTerminal ? "\n" : ""))
        }
        self.bar = event.isTerminal ? nil : bar
    }

    /// Shows a note (a lost connection, a resumption) above the bar.
    mutating func note(_ text: String) {
        if interactive, let bar {
            write("\r\u{1B}[K" + text + "\n" + bar)
        } else {
            write(text + "\n")
        }
    }

    /// Ends the bar's line, if one is drawn, so that what follows starts on a fresh line.
    mutating func finish() {
        if interactive, bar != nil { write("\n") }
        bar = nil
    }

    /// `[ 40%] step-completed retrieve (agent worker-b, attempt 1, round 1, score 0.82): message`.
    static func line(for event: MasterTaskEvent) -> String {
        var line = "[\(percent(event.progress))] \(event.type)"
        if let skill = event.skill { line += " \(skill)" }
        let details = details(of: event)
        if !details.isEmpty { line += " (\(details.joined(separator: ", ")))" }
        if let message = event.message, !message.isEmpty, message != event.type {
            line += ": " + message.replacingOccurrences(of: "\n", with: " ")
        }
        return line
    }

    /// `[##########--------------]  40%  retrieve: agent worker-b, attempt 1`.
    static func bar(for event: MasterTaskEvent, width: Int = 24) -> String {
        let fraction = min(1, max(0, event.progress ?? 0))
        let filled = Int((fraction * Double(width)).rounded(.down))
        var line = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
        line += percent(event.progress) + "  "
        line += event.isTerminal ? event.type : (event.skill ?? event.type)
        let details = details(of: event)
        if !event.isTerminal, !details.isEmpty { line += ": " + details.joined(separator: ", ") }
        return line
    }

    private static func details(of event: MasterTaskEvent) -> [String] {
        var details: [String] = []
        if let agent = event.agent { details.append("agent \(agent)") }
        if let attempt = event.attempt { details.append("attempt \(attempt)") }
        if let round = event.round { details.append("round \(round)") }
        if let score = event.score { details.append("score " + String(format: "%.2f", score)) }
        return details
    }

    /// The progress as a right-aligned percentage, `  0%` to `100%`.
    static func percent(_ progress: Double?) -> String {
        let value = Int((min(1, max(0, progress ?? 0)) * 100).rounded(.down))
        let text = "\(value)%"
        return String(repeating: " ", count: max(0, 4 - text.count)) + text
    }

    /// `text` cut to the terminal's width, so that a redraw with `\r` never wraps.
    private static func fit(_ text: String) -> String {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 1 else { return text }
        let columns = Int(size.ws_col) - 1
        return text.count > columns ? String(text.prefix(columns)) : text
    }

    static func writeStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
