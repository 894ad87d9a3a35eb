import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Where `mesh up` writes: every child's lines behind a padded, coloured prefix, and its own notes.
///
/// Lines are written whole under one lock, so the output of several children interleaves by line, never
/// within one.
final class UpConsole: Sendable {
    /// The prefix of `mesh up`'s own lines.
    static let ownLabel = "mesh"

    /// The width every prefix is padded to.
    let width: Int
    /// Whether prefixes carry ANSI colours.
    let colored: Bool
    private let colors: [String: String]
    private let lock = Mutex(())

    /// A console for the processes named `labels` (e.g. `redis`, `worker-b#2`), in start order.
    init(labels: [String], colored: Bool) {
        let all = [Self.ownLabel] + labels
        width = all.map(\.count).max() ?? Self.ownLabel.count
        self.colored = colored
        // Replicas share their agent's colour, so `worker-b` and `worker-b#2` read as one agent.
        var colors: [String: String] = [:]
        var next = 0
        for label in labels {
            let agent = Self.agentName(of: label)
            if colors[agent] == nil {
                colors[agent] = palette[next % palette.count]
                next += 1
            }
        }
        self.colors = colors
    }

    /// Whether to colour: stdout is a terminal, `NO_COLOR` is unset and `--no-color` was not given.
    static func wantsColor(noColorFlag: Bool, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> Bool
    {
        !noColorFlag && (environment["NO_COLOR"] ?? "").isEmpty && isatty(STDOUT_FILENO) == 1
    }

    /// `worker-b#2` as `worker-b`.
    static func agentName(of label: String) -> String {
        label.split(separator: "#", maxSplits: 1).first.map(String.init) ?? label
    }

    /// One line a child wrote, behind its prefix.
    func line(from label: String, _ text: String) {
        write(prefix(label) + text + "\n")
    }

    /// One of `mesh up`'s own notes.
    func note(_ text: String) {
        line(from: Self.ownLabel, text)
    }

    /// Lines without prefixes (the ready table), written together.
    func block(_ lines: [String]) {
        write(lines.map { $0 + "\n" }.joined())
    }

    /// `text` in bold when colours are on.
    func bold(_ text: String) -> String {
        colored ? "\u{1B}[1m\(text)\u{1B}[0m" : text
    }

    private func prefix(_ label: String) -> String {
        let padded = label.padding(toLength: width, withPad: " ", startingAt: 0)
        guard colored else { return padded + " | " }
        let color = colors[Self.agentName(of: label)] ?? "1"
        return "\u{1B}[\(color)m\(padded) |\u{1B}[0m "
    }

    /// Writes with `write(2)` and drops what cannot be written: a closed pipe or a hung-up terminal must not
    /// stop `mesh up` before it has stopped its children.
    private func write(_ text: String) {
        lock.withLock { _ in
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return }
                bytes = bytes.dropFirst(written)
            }
        }
    }
}

/// Foreground colours that read on dark and light terminals: cyan, green, yellow, magenta, blue, then bright ones.
private let palette = ["36", "32", "33", "35", "34", "96", "92", "93", "95", "94", "91", "31"]
