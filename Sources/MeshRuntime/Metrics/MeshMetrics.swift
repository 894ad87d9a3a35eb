import Foundation
import Logging
import Prometheus
import Synchronization

/// One host's Prometheus metrics, rendered by `GET /metrics`.
///
/// Each host owns its registry rather than swift-metrics' global `MetricsSystem`, so several hosts in one
/// process (tests, `mesh up`) keep their numbers apart. Counters and histograms are recorded as things happen;
/// gauges whose truth lives elsewhere (Redis stream lengths, a runner's count) are read by refreshers that run
/// before every scrape, so a scrape never shows a stale count.
public final class MeshMetrics: Sendable {
    /// Everything `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    /// swift-metrics' API onto ``registry``, for components that record through `Counter(label:factory:)`.
    public let factory: PrometheusMetricsFactory
    private let refreshers = Mutex<[@Sendable () async -> Void]>([])
    /// The request series met so far, so that recording a request is one dictionary lookup rather than the
    /// registry's validation and lookup of two metrics.
    let requestSeries = Mutex<[RequestSeriesKey: (counter: Counter, histogram: DurationHistogram)]>([:])

    public init() {
        registry = PrometheusCollectorRegistry()
        factory = PrometheusMetricsFactory(registry: registry)
    }

    /// Runs `refresh` before every scrape; it sets gauges from their source. It should not throw or hang:
    /// a refresher that cannot read its source leaves the gauge at its last value (and logs why).
    public func refreshBeforeScrape(_ refresh: @escaping @Sendable () async -> Void) {
        refreshers.withLock { $0.append(refresh) }
    }

    /// The metrics in Prometheus text format 0.0.4, after the refreshers ran.
    public func scrape() async -> String {
        let refreshers = refreshers.withLock { $0 }
        await withDiscardingTaskGroup { group in
            for refresh in refreshers { group.addTask { await refresh() } }
        }
        return registry.emitToString()
    }

    /// The content type of ``scrape()``'s text.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    // MARK: Instruments by name

    /// A counter; `help` must be the same for every use of `name`.
    func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
        registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
    }

    func gauge(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Gauge {
        registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
    }

    func histogram(_ name: String, _ help: String, _ labels: [(String, String)], buckets: [Duration])
        -> DurationHistogram
    {
        registry.makeDurationHistogram(descriptor: Self.descriptor(name, help), labels: labels, buckets: buckets)
    }

    /// The full name goes in `metricName`: the descriptor only joins parts with underscores.
    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// Request latencies: 5 ms to 10 s.
    static let requestBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// Task and step latencies: 10 ms to 10 minutes (a step may call a model, a task runs several steps).
    static let taskBuckets: [Duration] = [
        .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
        .seconds(300), .seconds(600),
    ]
}
