import Hummingbird

/// `GET /metrics`: the host's ``MeshMetrics`` in Prometheus text format.
struct MetricsRoute: Sendable {
    let metrics: MeshMetrics

    func add(to router: Router<some RequestContext>) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: MeshMetrics.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: await metrics.scrape())))
        }
    }
}
