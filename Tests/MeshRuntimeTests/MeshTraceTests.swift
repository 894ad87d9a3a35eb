import Logging
import MeshTracing
import Testing
import W3CTraceContext

/// The W3C trace context carried through the mesh: parsing, continuing and starting traces.
@Suite("MeshTrace")
struct MeshTraceTests {
    static let parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    static let traceID = "0af7651916cd43dd8448eb211c80319c"

    @Test func aValidTraceParentIsContinuedWithANewSpan() {
        let context = MeshTrace.incoming(traceParent: Self.parent)
        #expect(context.traceID.description == Self.traceID)
        #expect(context.spanID.description != "b7ad6b7169203331")
        #expect(context.flags == .sampled)
        #expect(context.traceParentHeaderValue.hasPrefix("00-\(Self.traceID)-"))
        #expect(context.traceParentHeaderValue.hasSuffix("-01"))
    }

    @Test func theNotSampledFlagIsKept() {
        let context = MeshTrace.incoming(traceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")
        #expect(context.traceID.description == Self.traceID)
        #expect(context.traceParentHeaderValue.hasSuffix("-00"))
    }

    @Test(arguments: [
        nil, "", "garbage", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",  // too short
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",  // all-zero trace id
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",  // all-zero span id
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",  // forbidden version
        "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",  // not hex
        "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01",  // wrong delimiters
    ])
    func anInvalidTraceParentStartsANewTrace(_ header: String?) throws {
        let context = MeshTrace.incoming(traceParent: header)
        #expect(context.traceID.description != Self.traceID)
        #expect(context.traceID.description.count == 32)
        #expect(context.flags == .sampled)
        // What it starts is itself a valid traceparent.
        let reparsed = try #require(MeshTrace.parse(context.traceParentHeaderValue))
        #expect(reparsed == context)
    }

    @Test func twoNewTracesHaveDifferentIDs() {
        #expect(MeshTrace.incoming(traceParent: nil).traceID != MeshTrace.incoming(traceParent: nil).traceID)
    }

    @Test func blanksAroundTheHeaderAreIgnored() {
        #expect(MeshTrace.incoming(traceParent: "  \(Self.parent)\t").traceID.description == Self.traceID)
    }

    @Test func aChildKeepsTheTraceAndFlagsWithANewSpan() {
        let context = MeshTrace.incoming(traceParent: Self.parent, traceState: "vendor=abc")
        let child = context.child()
        #expect(child.traceID == context.traceID)
        #expect(child.spanID != context.spanID)
        #expect(child.flags == context.flags)
        #expect(child.traceStateHeaderValue == "vendor=abc")
    }

    @Test func traceStateIsPassedThroughToOutgoingCalls() async {
        let context = MeshTrace.incoming(
            traceParent: Self.parent, traceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        let headers = await MeshTrace.withContext(context) { MeshTrace.outgoingHeaders() }
        let values = Dictionary(uniqueKeysWithValues: headers.map { ($0.name, $0.value) })
        #expect(values["tracestate"] == "congo=t61rcWkgMzE, rojo=00f067aa0ba902b7")
        let parent = values["traceparent"]
        #expect(parent.flatMap(MeshTrace.traceID(ofTraceParent:)) == Self.traceID)
        #expect(parent != context.traceParentHeaderValue, "each call is a new span")
    }

    @Test func anInvalidTraceStateIsDroppedButTheTraceContinues() async {
        let context = MeshTrace.incoming(traceParent: Self.parent, traceState: "Not A Vendor=1")
        #expect(context.traceID.description == Self.traceID)
        #expect(context.traceStateHeaderValue == nil)
        let headers = await MeshTrace.withContext(context) { MeshTrace.outgoingHeaders() }
        #expect(headers.map(\.name) == ["traceparent"])
    }

    @Test func outgoingHeadersOutsideAnyTraceStartANewTraceEachTime() {
        #expect(MeshTrace.current == nil)
        let first = MeshTrace.outgoingHeaders()
        let second = MeshTrace.outgoingHeaders()
        #expect(first.map(\.name) == ["traceparent"])
        let ids = [first, second].compactMap { $0.first.flatMap { MeshTrace.traceID(ofTraceParent: $0.value) } }
        #expect(ids.count == 2 && ids[0] != ids[1])
    }

    @Test func aStoredTraceParentIsResumedInTheSameTrace() throws {
        let resumed = try #require(MeshTrace.resumed(traceParent: Self.parent, traceState: "vendor=abc"))
        #expect(resumed.traceID.description == Self.traceID)
        #expect(resumed.spanID.description != "b7ad6b7169203331")
        #expect(resumed.traceStateHeaderValue == "vendor=abc")
        #expect(MeshTrace.resumed(traceParent: "not a traceparent") == nil)
        #expect(MeshTrace.traceID(ofTraceParent: "not a traceparent") == nil)
    }

    @Test func theContextIsBoundOnlyInsideWithContext() async {
        let context = MeshTrace.incoming(traceParent: Self.parent)
        #expect(MeshTrace.traceID == nil)
        let inside = await MeshTrace.withContext(context) {
            // Child tasks inherit it.
            await withTaskGroup(of: String?.self) { group in
                group.addTask { MeshTrace.traceID }
                return await group.next() ?? nil
            }
        }
        #expect(inside == Self.traceID)
        #expect(MeshTrace.traceID == nil)
        #expect(await MeshTrace.withContext(context) { MeshTrace.traceParent } == context.traceParentHeaderValue)
    }

    @Test func logLinesInsideATraceCarryItsIDs() async {
        let provider = MeshTrace.loggingMetadataProvider
        #expect(provider.get().isEmpty)
        let context = MeshTrace.incoming(traceParent: Self.parent)
        let metadata = await MeshTrace.withContext(context) { provider.get() }
        #expect(metadata["trace_id"] == .string(Self.traceID))
        #expect(metadata["span_id"] == .string(context.spanID.description))
    }
}
