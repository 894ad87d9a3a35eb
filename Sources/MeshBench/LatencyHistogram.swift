/// A log-linear histogram of latencies in nanoseconds: exact below 256 ns, then 128 buckets per power of two,
/// so any percentile it reports is within 0.8% of the true sample.
public struct LatencyHistogram: Sendable, Hashable {
    private static let subBucketBits = 8
    private static let subBucketCount = 1 << subBucketBits
    private static let halfCount = subBucketCount / 2
    /// The largest value kept apart; anything slower (over 18 minutes) lands in the last bucket.
    private static let highestTrackable: UInt64 = (1 << 40) - 1

    private var counts: [UInt64]
    /// Samples recorded.
    public private(set) var count: UInt64 = 0
    /// The smallest sample, exactly.
    public private(set) var min: UInt64 = .max
    /// The largest sample, exactly.
    public private(set) var max: UInt64 = 0
    private var sum: Double = 0

    public init() {
        counts = Array(repeating: 0, count: Self.index(of: Self.highestTrackable) + 1)
    }

    /// Adds one sample.
    public mutating func record(nanoseconds: UInt64) {
        let value = Swift.min(nanoseconds, Self.highestTrackable)
        counts[Self.index(of: value)] &+= 1
        count &+= 1
        sum += Double(nanoseconds)
        if nanoseconds < min { min = nanoseconds }
        if nanoseconds > max { max = nanoseconds }
    }

    /// Adds every sample of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        for index in counts.indices { counts[index] &+= other.counts[index] }
        count &+= other.count
        sum += other.sum
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
    }

    /// The arithmetic mean, or 0 without samples.
    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// The smallest value that at least `percent`% of samples do not exceed (nearest rank), within 0.8%.
    public func percentile(_ percent: Double) -> UInt64 {
        guard count > 0 else { return 0 }
        let wanted = Swift.max(1, UInt64((percent / 100 * Double(count)).rounded(.up)))
        var seen: UInt64 = 0
        for (index, bucketCount) in counts.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen >= wanted {
                return Swift.min(Swift.max(Self.highestValue(at: index), min), max)
            }
        }
        return max
    }

    /// The bucket a value falls in.
    static func index(of value: UInt64) -> Int {
        if value < UInt64(subBucketCount) { return Int(value) }
        let shift = (63 - value.leadingZeroBitCount) - subBucketBits + 1
        let mantissa = Int(value >> UInt64(shift))
        return subBucketCount + (shift - 1) * halfCount + (mantissa - halfCount)
    }

    /// The largest value that falls in bucket `index`.
    static func highestValue(at index: Int) -> UInt64 {
        if index < subBucketCount { return UInt64(index) }
        let shift = (index - subBucketCount) / halfCount + 1
        let mantissa = UInt64((index - subBucketCount) % halfCount + halfCount)
        return ((mantissa + 1) << UInt64(shift)) - 1
    }
}
