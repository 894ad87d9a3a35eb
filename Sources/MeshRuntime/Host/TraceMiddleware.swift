import HTTPTypes
import Hummingbird
import MeshTracing

/// Continues the caller's W3C trace (`traceparent`, `tracestate`) for the request, or starts a new trace.
///
/// The request's work runs with the context as ``MeshTrace/current``, so every call it makes to a peer carries
/// the same trace id; its log lines carry `trace_id`; the response returns the request's `traceparent`.
/// A streamed body (SSE) is written after the handler returned, so it is re-bound to the context too.
struct TraceMiddleware<Context: RequestContext>: RouterMiddleware {
    static var traceParent: HTTPField.Name { HTTPField.Name(MeshTrace.traceParentHeader)! }
    static var traceState: HTTPField.Name { HTTPField.Name(MeshTrace.traceStateHeader)! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let trace = MeshTrace.incoming(
            traceParent: request.headers[Self.traceParent], traceState: request.headers[Self.traceState])
        // Log lines get `trace_id` from the logging system's metadata provider, which reads the trace bound
        // below; setting it on the request's logger too would re-render its metadata on every request.
        var response = try await MeshTrace.withContext(trace) {
            do {
                return try await next(request, context)
            } catch let error as any HTTPResponseError {
                // Error answers carry the trace too.
                return try error.response(from: request, context: context)
            }
        }
        response.headers[Self.traceParent] = trace.traceParentHeaderValue
        if let state = trace.traceStateHeaderValue { response.headers[Self.traceState] = state }
        if response.body.contentLength == nil {
            let body = response.body
            response.body = ResponseBody { writer in
                try await MeshTrace.withContext(trace) { try await body.write(writer) }
            }
        }
        return response
    }
}
