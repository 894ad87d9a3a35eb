import Logging
// TraceContext is part of this module's API: users name it without importing the package that defines it.
@_exported import W3CTraceContext

/// The W3C trace context (`traceparent`, `tracestate`) of the work the current task does.
///
/// A server binds it for each request with ``incoming(traceParent:traceState:)`` and ``withContext(_:operation:)``;
/// every outgoing call asks ``outgoingHeaders()`` for a child span under the same trace, so one trace id follows a
/// task from the client through the master, the workers and the gateway, and back in push callbacks.
/// ``loggingMetadataProvider`` puts the trace id on every log line written inside that work.
///
/// Spans are not exported: nothing collects them here. This type only carries the context (parsing and formatting
/// come from swift-w3c-trace-context); a tracer such as swift-otel could take its place where a collector exists.
public enum MeshTrace {
    /// The header names, lower case as HTTP/2 and the spec write them.
    public static let traceParentHeader = "traceparent"
    public static let traceStateHeader = "tracestate"

    @TaskLocal public static var current: TraceContext?

    /// The context of an incoming request: a new span in the caller's trace when `traceParent` is valid,
    /// else a new sampled trace. An invalid header is dropped, as the W3C spec says, and a new trace begins.
    /// A `tracestate` that cannot be parsed is dropped on its own: the caller's trace still continues.
    public static func incoming(traceParent: String?, traceState: String? = nil) -> TraceContext {
        traceParent.flatMap { parse($0, traceState: traceState) }?.child() ?? newTrace()
    }

    /// The context a `traceparent` (and `tracestate`) value says, as it is; nil when `traceParent` is not valid.
    /// Surrounding blanks are ignored; an invalid `tracestate` is dropped, as the W3C spec says.
    public static func parse(_ traceParent: String, traceState: String? = nil) -> TraceContext? {
        let traceParent = traceParent.trimmingBlanks
        let traceState = traceState?.trimmingBlanks
        if let context = try? TraceContext(traceParentHeaderValue: traceParent, traceStateHeaderValue: traceState) {
            return context
        }
        guard let traceState, !traceState.isEmpty else { return nil }
        return try? TraceContext(traceParentHeaderValue: traceParent)
    }

    /// The trace id (32 lower-case hex digits) of a `traceparent` value; nil when the value is not valid.
    public static func traceID(ofTraceParent traceParent: String) -> String? {
        parse(traceParent).map { $0.traceID.description }
    }

    /// A new sampled trace with a random trace id.
    public static func newTrace() -> TraceContext {
        TraceContext(traceID: .random(), spanID: .random(), flags: .sampled, state: TraceState())
    }

    /// The context stored as a `traceparent` value (e.g. in a task record), continued with a new span;
    /// nil when the value is not a valid `traceparent`.
    public static func resumed(traceParent: String, traceState: String? = nil) -> TraceContext? {
        parse(traceParent, traceState: traceState)?.child()
    }

    /// Runs `operation` with `context` as ``current``.
    public static func withContext<Result>(
        _ context: TraceContext?, operation: () async throws -> Result
    ) async rethrows -> Result {
        try await $current.withValue(context, operation: operation)
    }

    /// The `traceparent` (and `tracestate` when not empty) for a call made now: a child span of ``current``,
    /// or of a new trace when there is none, so a call made outside any request still starts a trace.
    public static func outgoingHeaders() -> [(name: String, value: String)] {
        let child = (current ?? newTrace()).child()
        var headers = [(name: traceParentHeader, value: child.traceParentHeaderValue)]
        if let state = child.traceStateHeaderValue, !state.isEmpty {
            headers.append((name: traceStateHeader, value: state))
        }
        return headers
    }

    /// The current trace id as 32 lower-case hex digits, if there is a current context.
    public static var traceID: String? { current.map { $0.traceID.description } }

    /// The current `traceparent` value, if there is a current context.
    public static var traceParent: String? { current?.traceParentHeaderValue }

    /// Adds `trace_id` and `span_id` to every log line written inside a traced piece of work.
    public static let loggingMetadataProvider = Logger.MetadataProvider {
        guard let context = MeshTrace.current else { return [:] }
        return ["trace_id": .string(context.traceID.description), "span_id": .string(context.spanID.description)]
    }
}

extension TraceContext {
    /// The same trace and flags with a new span id: the context of the next hop.
    public func child() -> TraceContext {
        TraceContext(traceID: traceID, spanID: .random(), flags: flags, state: state)
    }
}

extension String {
    /// Without the spaces and tabs HTTP allows around a header value.
    fileprivate var trimmingBlanks: String {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(self[first...last])
    }
}
