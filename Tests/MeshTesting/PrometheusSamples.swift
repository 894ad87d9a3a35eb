/// Prometheus text format parsed into samples, for tests that read `/metrics`.
public struct PrometheusSamples: Sendable {
    public struct Sample: Sendable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    public let samples: [Sample]
    /// The `# TYPE` of each family.
    public let types: [String: String]

    public init(_ text: String) {
        var samples: [Sample] = []
        var types: [String: String] = [:]
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            guard !line.hasPrefix("#"), let sample = Self.sample(line) else { continue }
            samples.append(sample)
        }
        self.samples = samples
        self.types = types
    }

    /// The sum of the samples named `name` whose labels include `labels` (0 when there is none).
    public func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        matching(name, labels).reduce(0) { $0 + $1.value }
    }

    /// The samples named `name` whose labels include `labels`.
    public func matching(_ name: String, _ labels: [String: String] = [:]) -> [Sample] {
        samples.filter { sample in
            sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
        }
    }

    private static func sample(_ line: Substring) -> Sample? {
        guard let valueStart = line.lastIndex(of: " ") else { return nil }
        let series = line[..<valueStart]
        guard let value = Double(line[line.index(after: valueStart)...]) else { return nil }
        guard let open = series.firstIndex(of: "{") else {
            return Sample(name: String(series), labels: [:], value: value)
        }
        var labels: [String: String] = [:]
        var rest = series[series.index(after: open)...]
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingPrefix(",")
            var index = rest.index(equals, offsetBy: 2)  // past `="`
            var text = ""
            while index < rest.endIndex, rest[index] != "\"" {
                if rest[index] == "\\" { index = rest.index(after: index) }
                text.append(rest[index])
                index = rest.index(after: index)
            }
            labels[String(key)] = text
            rest = rest[rest.index(after: index)...]
        }
        return Sample(name: String(series[..<open]), labels: labels, value: value)
    }
}
