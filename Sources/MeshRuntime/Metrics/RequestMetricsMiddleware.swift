import Hummingbird

extension MeshMetrics {
    /// Counts one answered HTTP request and records how long it took to produce its response head.
    ///
    /// `route` is the matched route template (`/task/{id}`), never the raw path, so ids do not become series.
    public func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestSeriesKey(route: route, method: method, status: status)
        let series =
            requestSeries.withLock { $0[key] }
            ?? {
                let labels = [("route", route), ("method", method), ("status", String(status))]
                let made = (
                    counter: counter(
                        "mesh_http_requests_total", "HTTP requests answered, by route template, method and status",
                        labels),
                    histogram: histogram(
                        "mesh_http_request_duration_seconds", "Time to answer an HTTP request (to its response head)",
                        labels, buckets: Self.requestBuckets)
                )
                requestSeries.withLock { $0[key] = made }
                return made
            }()
        series.counter.increment()
        series.histogram.record(duration)
    }
}

/// The labels of one request series.
struct RequestSeriesKey: Hashable, Sendable {
    let route: String
    let method: String
    let status: Int
}

/// Records every request in ``MeshMetrics``: its route template (`unmatched` when no route matched), method,
/// status and duration. A request that ends in a thrown error counts with the error's status (500 when the
/// error carries none).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: MeshMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context, status: status, since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        metrics.recordRequest(
            route: Self.route(context.endpointPath), method: request.method.rawValue, status: status,
            duration: ContinuousClock.now - start)
    }

    /// Hummingbird names a request no route matched `NotFound`.
    static func route(_ endpointPath: String?) -> String {
        guard let endpointPath, endpointPath != "NotFound" else { return "unmatched" }
        return endpointPath
    }
}
