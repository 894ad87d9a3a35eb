import Testing

@testable import MeshBench

@Suite struct LatencyHistogramTests {
    @Test func emptyHistogramReportsZero() {
        let histogram = LatencyHistogram()
        #expect(histogram.count == 0)
        #expect(histogram.percentile(50) == 0)
        #expect(histogram.mean == 0)
    }

    @Test func smallValuesAreExact() {
        var histogram = LatencyHistogram()
        for value in 1...100 as ClosedRange<UInt64> { histogram.record(nanoseconds: value) }
        #expect(histogram.percentile(50) == 50)
        #expect(histogram.percentile(99) == 99)
        #expect(histogram.percentile(100) == 100)
        #expect(histogram.min == 1)
        #expect(histogram.max == 100)
        #expect(histogram.mean == 50.5)
    }

    @Test func percentilesOfUniformMicrosecondsStayWithinResolution() {
        var histogram = LatencyHistogram()
        for micros in 1...10_000 as ClosedRange<UInt64> { histogram.record(nanoseconds: micros * 1_000) }
        for (percent, exact) in [(50.0, 5_000_000.0), (90, 9_000_000), (99, 9_900_000), (99.9, 9_990_000)] {
            let reported = Double(histogram.percentile(percent))
            #expect(reported >= exact && reported <= exact * 1.008, "p\(percent) = \(reported)")
        }
        #expect(histogram.percentile(100) == 10_000_000)
    }

    @Test func bucketsAreContiguousAndEachValueFitsItsBucket() {
        var previous = -1
        for value in [0, 1, 255, 256, 257, 511, 512, 1_000, 65_535, 1_000_000, 123_456_789] as [UInt64] {
            let index = LatencyHistogram.index(of: value)
            #expect(index >= previous)
            #expect(LatencyHistogram.highestValue(at: index) >= value)
            #expect(index == 0 || LatencyHistogram.highestValue(at: index - 1) < value)
            previous = index
        }
    }

    @Test func mergeAddsSamples() {
        var fast = LatencyHistogram()
        var slow = LatencyHistogram()
        for _ in 0..<99 { fast.record(nanoseconds: 100) }
        slow.record(nanoseconds: 200)
        fast.merge(slow)
        #expect(fast.count == 100)
        #expect(fast.percentile(99) == 100)
        #expect(fast.percentile(100) == 200)
        #expect(fast.max == 200)
    }
}
