extension A2ABenchReport {
    /// The report as aligned human-readable lines.
    public var lines: [String] {
        var lines = [
            "target      \(url)  (\(connections) connections, \(threads) thread\(threads == 1 ? "" : "s"), "
                + "warm-up \(Self.fixed(warmupSeconds, 1)) s)",
            "requests    \(requests) in \(Self.fixed(seconds, 2)) s",
            "errors      \(errors) (\(httpErrors) non-2xx, \(rpcErrors) JSON-RPC, \(socketErrors) socket)",
            "throughput  \(Self.fixed(throughput, 1)) req/s",
            "latency ms  p50 \(Self.fixed(latency.p50, 3))  p90 \(Self.fixed(latency.p90, 3))  "
                + "p99 \(Self.fixed(latency.p99, 3))  p99.9 \(Self.fixed(latency.p999, 3))  "
                + "max \(Self.fixed(latency.max, 3))  mean \(Self.fixed(latency.mean, 3))",
        ]
        if let memory = serverMemory {
            let growth = memory.growth.map { ($0 >= 0 ? "+" : "") + Self.megabytes($0) } ?? "?"
            lines.append(
                "server RSS  pid \(memory.pid): before \(memory.before.map(Self.megabytes) ?? "?"), "
                    + "after warm-up \(memory.afterWarmup.map(Self.megabytes) ?? "?"), "
                    + "after \(memory.after.map(Self.megabytes) ?? "?"), growth \(growth)")
        }
        return lines
    }

    static func megabytes(_ bytes: Int) -> String {
        fixed(Double(bytes) / 1_048_576, 1) + " MiB"
    }

    /// `value` with `digits` decimals, without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return String(value) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let digitsText = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
    }
}
