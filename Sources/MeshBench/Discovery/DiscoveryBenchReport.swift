import Foundation

/// The figures of one `mesh bench discovery` run; encodes as the `--json` output.
///
/// Times are milliseconds, measured from the moment the agent process is spawned (appearance) or
/// SIGKILLed (down, removal), as seen by a directory in the benchmark's own process.
public struct DiscoveryBenchReport: Sendable, Hashable, Codable {
    /// One agent process: started, found, killed, dropped.
    public struct Round: Sendable, Hashable, Codable {
        /// Until the agent's card answered HTTP: the floor under appearance (process start-up).
        public var readyMs: Double?
        /// Until the directory listed the agent as up, card fetched.
        public var appearanceMs: Double?
        /// After SIGKILL, until queries stopped returning the agent (marked down or removed).
        public var routedAroundMs: Double?
        /// After SIGKILL, until the entry left the directory.
        public var removalMs: Double?
    }

    /// Medians and maxima of one mode's rounds; nil where no round got that far.
    public struct Summary: Sendable, Hashable, Codable {
        public var mode: String
        public var rounds: [Round]
        public var readyMedianMs: Double?
        public var appearanceMedianMs: Double?
        public var appearanceMaxMs: Double?
        public var routedAroundMedianMs: Double?
        public var removalMedianMs: Double?
        public var removalMaxMs: Double?
        /// Rounds in which some wait ran out.
        public var timeouts: Int
        /// `avahi-browse` (Avahi's own client) seeing the same agents, when it ran: the reference.
        public var reference: Reference?

        init(mode: String, rounds: [Round], reference: Reference?) {
            self.mode = mode
            self.rounds = rounds
            readyMedianMs = median(rounds.compactMap(\.readyMs))
            appearanceMedianMs = median(rounds.compactMap(\.appearanceMs))
            appearanceMaxMs = rounds.compactMap(\.appearanceMs).max()
            routedAroundMedianMs = median(rounds.compactMap(\.routedAroundMs))
            removalMedianMs = median(rounds.compactMap(\.removalMs))
            removalMaxMs = rounds.compactMap(\.removalMs).max()
            timeouts = rounds.filter { $0.appearanceMs == nil || $0.removalMs == nil }.count
            self.reference = reference
        }
    }

    /// What a reference client saw of the same rounds.
    public struct Reference: Sendable, Hashable, Codable {
        public var client: String
        public var appearanceMedianMs: Double?
        public var removalMedianMs: Double?
    }

    public var modes: [Summary]
    /// The targets the issue sets: appearance and removal.
    public var appearanceTargetMs: Double = 500
    public var removalTargetMs: Double = 10_000

    /// The report as aligned lines, one block per mode.
    public var lines: [String] {
        var lines: [String] = []
        for summary in modes {
            lines.append(
                "\(summary.mode): \(summary.rounds.count) agent processes, \(summary.timeouts) timed out (medians; max)")
            lines.append(
                "  start → card answers     \(ms(summary.readyMedianMs))")
            lines.append(
                "  start → in directory     \(ms(summary.appearanceMedianMs))  max \(ms(summary.appearanceMaxMs))"
                    + "  target < \(Int(appearanceTargetMs)) ms: \(verdict(summary.appearanceMaxMs, appearanceTargetMs))")
            lines.append("  SIGKILL → routed around  \(ms(summary.routedAroundMedianMs))")
            lines.append(
                "  SIGKILL → removed        \(ms(summary.removalMedianMs))  max \(ms(summary.removalMaxMs))"
                    + "  target < \(Int(removalTargetMs)) ms: \(verdict(summary.removalMaxMs, removalTargetMs))")
            if let reference = summary.reference {
                var line =
                    "  reference \(reference.client): appearance \(ms(reference.appearanceMedianMs)), "
                    + "removal \(ms(reference.removalMedianMs))"
                if let ours = summary.appearanceMedianMs, let theirs = reference.appearanceMedianMs, theirs > 0 {
                    line += "; appearance ratio ours/reference \(A2ABenchReport.fixed(ours / theirs, 2))"
                }
                lines.append(line)
            }
        }
        return lines
    }

    private func ms(_ value: Double?) -> String {
        value.map { "\(A2ABenchReport.fixed($0, 1)) ms" } ?? "n/a"
    }

    private func verdict(_ value: Double?, _ target: Double) -> String {
        guard let value else { return "not measured" }
        return value < target ? "met" : "MISSED"
    }
}

/// The median of `values`, nil when empty.
func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
