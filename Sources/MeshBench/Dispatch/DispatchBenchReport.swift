/// The figures of one `mesh bench dispatch` run; encodes as the `--json` output.
///
/// Latencies are milliseconds per task, from the first byte sent to the last byte of the answer that holds
/// the outcome: the SendMessage answer directly and through `/dispatch`, the `/result` answer of a task.
public struct DispatchBenchReport: Sendable, Hashable, Codable {
    /// One path's figures.
    public struct Path: Sendable, Hashable, Codable {
        /// Tasks that got an answer (completed or not).
        public var tasks: Int
        /// Answers whose task did not complete (failed, rejected, canceled).
        public var failed: Int
        /// Exchanges with an unexpected status or body, not counted in `tasks`.
        public var errors: Int
        /// The measured window.
        public var seconds: Double
        /// Tasks per second over the window.
        public var throughput: Double
        public var p50Ms: Double
        public var p90Ms: Double
        public var p99Ms: Double
        public var maxMs: Double
        /// Milliseconds of CPU per task by process (bench, master, worker, redis) while this path ran; empty
        /// when the processes are not the bench's own.
        public var cpuMsPerTask: [String: Double] = [:]

        public init(
            tasks: Int, failed: Int, errors: Int, seconds: Double, p50Ms: Double, p90Ms: Double, p99Ms: Double,
            maxMs: Double
        ) {
            self.tasks = tasks
            self.failed = failed
            self.errors = errors
            self.seconds = seconds
            throughput = seconds > 0 ? Double(tasks) / seconds : 0
            self.p50Ms = p50Ms
            self.p90Ms = p90Ms
            self.p99Ms = p99Ms
            self.maxMs = maxMs
        }

        /// Each figure's median over `paths` (one per round).
        static func median(of paths: [Path]) -> Path {
            func middle(_ values: [Double]) -> Double { DispatchBenchReport.median(values) }
            var path = Path(
                tasks: Int(middle(paths.map { Double($0.tasks) }).rounded()),
                failed: Int(middle(paths.map { Double($0.failed) }).rounded()),
                errors: Int(middle(paths.map { Double($0.errors) }).rounded()),
                seconds: middle(paths.map(\.seconds)), p50Ms: middle(paths.map(\.p50Ms)),
                p90Ms: middle(paths.map(\.p90Ms)), p99Ms: middle(paths.map(\.p99Ms)), maxMs: middle(paths.map(\.maxMs)))
            path.throughput = middle(paths.map(\.throughput))
            for name in Set(paths.flatMap(\.cpuMsPerTask.keys)) {
                path.cpuMsPerTask[name] = middle(paths.compactMap { $0.cpuMsPerTask[name] })
            }
            return path
        }

        init(_ measurement: PathMeasurement) {
            func ms(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e6 }
            let histogram = measurement.histogram
            self.init(
                tasks: measurement.completed + measurement.failed, failed: measurement.failed,
                errors: measurement.httpErrors, seconds: measurement.seconds, p50Ms: ms(histogram.percentile(50)),
                p90Ms: ms(histogram.percentile(90)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max))
        }
    }

    /// The master path with authentication and rate limits off and on (`--auth`), one entry per round.
    public struct AuthComparison: Sendable, Hashable, Codable {
        public var off: [Path]
        public var on: [Path]
        public var medianOff: Double
        public var medianOn: Double
        /// The throughput lost with authentication on, as a fraction of the throughput with it off: one minus the
        /// median of the rounds' on/off ratios, so that each round compares runs made moments apart.
        public var cost: Double
        public var costTarget: Double = 0.10

        public init(off: [Path], on: [Path]) {
            self.off = off
            self.on = on
            medianOff = DispatchBenchReport.median(off.map(\.throughput))
            medianOn = DispatchBenchReport.median(on.map(\.throughput))
            let ratios = zip(on, off).compactMap { $1.throughput > 0 ? $0.throughput / $1.throughput : nil }
            cost = ratios.isEmpty ? 0 : 1 - DispatchBenchReport.median(ratios)
        }
    }

    /// The paths measured once each, moments apart.
    public struct Round: Sendable, Hashable, Codable {
        public var direct: Path
        public var viaMaster: Path
        /// `POST /dispatch`, when measured.
        public var routed: Path?

        public init(direct: Path, viaMaster: Path, routed: Path? = nil) {
            self.direct = direct
            self.viaMaster = viaMaster
            self.routed = routed
        }
    }

    public var master: String
    public var worker: String
    public var skill: String
    public var concurrency: Int
    /// Whether the benchmark started redis-server, the worker and the master itself.
    public var spawned: Bool
    /// A2A SendMessage (JSON-RPC, blocking) straight to the worker; with several rounds, each figure's median.
    public var direct: Path
    /// `POST /task` and `GET /result/{id}?wait=30` through the master; with several rounds, each figure's median.
    public var viaMaster: Path
    /// `POST /dispatch` through the master: the message routed by skill and forwarded synchronously, with no
    /// task of the master's own in Redis (the worker still stores its A2A task); nil when not measured.
    public var routed: Path?
    /// Every round, in order.
    public var rounds: [Round]
    /// What a task through `/task` adds over calling the worker directly (the target's measure).
    public var addedP50Ms: Double
    public var addedP99Ms: Double
    /// What `/dispatch` adds over calling the worker directly.
    public var routedAddedP50Ms: Double?
    /// The targets the issue sets.
    public var throughputTarget: Double = 2000
    public var addedP50TargetMs: Double = 2
    /// Set by `--auth`.
    public var auth: AuthComparison?

    public init(
        master: String, worker: String, skill: String, concurrency: Int, spawned: Bool, direct: Path, viaMaster: Path
    ) {
        self.init(
            master: master, worker: worker, skill: skill, concurrency: concurrency, spawned: spawned,
            rounds: [Round(direct: direct, viaMaster: viaMaster)])
    }

    /// The report of `rounds` (at least one): the paths' medians, and what the master adds as the median of the
    /// rounds' differences, so that each difference compares runs made moments apart.
    public init(master: String, worker: String, skill: String, concurrency: Int, spawned: Bool, rounds: [Round]) {
        precondition(!rounds.isEmpty, "a report needs at least one round")
        self.master = master
        self.worker = worker
        self.skill = skill
        self.concurrency = concurrency
        self.spawned = spawned
        self.rounds = rounds
        direct = Path.median(of: rounds.map(\.direct))
        viaMaster = Path.median(of: rounds.map(\.viaMaster))
        addedP50Ms = Self.median(rounds.map { $0.viaMaster.p50Ms - $0.direct.p50Ms })
        addedP99Ms = Self.median(rounds.map { $0.viaMaster.p99Ms - $0.direct.p99Ms })
        let routedPaths = rounds.compactMap(\.routed)
        if routedPaths.count == rounds.count {
            routed = Path.median(of: routedPaths)
            routedAddedP50Ms = Self.median(zip(routedPaths, rounds).map { $0.p50Ms - $1.direct.p50Ms })
        }
    }

    /// The median of `values` (the mean of the middle two for an even count; 0 for none).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The report as aligned lines: each path, what the master adds, and the targets' verdicts.
    public var lines: [String] {
        func fixed(_ value: Double, _ digits: Int) -> String { A2ABenchReport.fixed(value, digits) }
        func row(_ name: String, _ path: Path) -> String {
            "\(name)\(path.tasks) tasks in \(fixed(path.seconds, 2)) s  \(fixed(path.throughput, 1)) tasks/s  "
                + "p50 \(fixed(path.p50Ms, 3)) ms  p90 \(fixed(path.p90Ms, 3)) ms  p99 \(fixed(path.p99Ms, 3)) ms  "
                + "max \(fixed(path.maxMs, 3)) ms  failed \(path.failed)  errors \(path.errors)"
        }
        var lines = [
            "dispatch bench: skill \(skill), \(concurrency) concurrent clients per path"
                + (spawned ? " (redis-server, worker and master started by the bench)" : "")
                + (rounds.count > 1 ? "; medians of \(rounds.count) rounds" : ""),
            "  master \(master), worker \(worker)",
            row("direct A2A SendMessage  ", direct),
            row("through the master      ", viaMaster),
            "added by the master      p50 \(fixed(addedP50Ms, 3)) ms  p99 \(fixed(addedP99Ms, 3)) ms"
                + "  target p50 < \(fixed(addedP50TargetMs, 0)) ms: \(addedP50Ms < addedP50TargetMs ? "met" : "MISSED")",
            "master throughput        \(fixed(viaMaster.throughput, 1)) tasks/s"
                + "  target >= \(fixed(throughputTarget, 0)) tasks/s: "
                + (viaMaster.throughput >= throughputTarget ? "met" : "MISSED"),
        ]
        if let routed, let routedAddedP50Ms {
            lines.append(row("routed (POST /dispatch) ", routed))
            lines.append(
                "added by /dispatch       p50 \(fixed(routedAddedP50Ms, 3)) ms  (a synchronous call routed by skill; "
                    + "no task of the master's own, so not the target's measure)")
        }
        if direct.p50Ms > 0, direct.throughput > 0 {
            lines.append(
                "ratios master/direct     p50 \(fixed(viaMaster.p50Ms / direct.p50Ms, 2))x  "
                    + "throughput \(fixed(viaMaster.throughput / direct.throughput, 2))x")
        }
        if rounds.count > 1 {
            func list(_ values: [Double], _ digits: Int) -> String {
                values.map { fixed($0, digits) }.joined(separator: ", ")
            }
            lines.append("rounds: direct tasks/s   \(list(rounds.map(\.direct.throughput), 1))")
            lines.append("rounds: master tasks/s   \(list(rounds.map(\.viaMaster.throughput), 1))")
            if routed != nil {
                lines.append("rounds: routed tasks/s   \(list(rounds.compactMap(\.routed?.throughput), 1))")
            }
            lines.append("rounds: added p50 ms     \(list(rounds.map { $0.viaMaster.p50Ms - $0.direct.p50Ms }, 3))")
        }
        let cpuPaths = [("direct", direct), ("master", viaMaster)] + (routed.map { [("routed", $0)] } ?? [])
        for (name, path) in cpuPaths where !path.cpuMsPerTask.isEmpty {
            let order = ["bench", "master", "worker", "redis"]
            let named = path.cpuMsPerTask.sorted {
                (order.firstIndex(of: $0.key) ?? 9) < (order.firstIndex(of: $1.key) ?? 9)
            }
            let total = path.cpuMsPerTask.values.reduce(0, +)
            lines.append(
                "CPU per task (\(name))" + String(repeating: " ", count: max(1, 7 - name.count))
                    + named.map { "\($0.key) \(fixed($0.value, 3))" }.joined(separator: "  ")
                    + "  total \(fixed(total, 3)) ms")
        }
        if let auth {
            func list(_ paths: [Path]) -> String { paths.map { fixed($0.throughput, 1) }.joined(separator: ", ") }
            lines.append(
                "auth off (rounds)        \(list(auth.off)) tasks/s  median \(fixed(auth.medianOff, 1))")
            lines.append(
                "auth on  (rounds)        \(list(auth.on)) tasks/s  median \(fixed(auth.medianOn, 1))"
                    + "  (API key, rate limit and quota in Redis, mesh token to the worker)")
            lines.append(
                "auth cost                \(fixed(auth.cost * 100, 1)) % of throughput (median of the rounds' on/off "
                    + "ratios)  target < "
                    + "\(fixed(auth.costTarget * 100, 0)) %: \(auth.cost < auth.costTarget ? "met" : "MISSED")")
        }
        let troubles = [direct, viaMaster] + (routed.map { [$0] } ?? [])
        if troubles.contains(where: { $0.errors + $0.failed > 0 }) {
            lines.append("warning: some tasks failed or errored; their latencies are not the path's")
        }
        return lines
    }
}
