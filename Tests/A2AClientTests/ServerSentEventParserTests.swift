import A2AClient
import Testing

@Suite("ServerSentEventParser")
struct ServerSentEventParserTests {
    /// A stream with multi-line data, ids, event types, retry, comments and all three line endings.
    static let stream =
        ": a comment line\r\n"
        + "id: 1\r\n"
        + "event: status\r\n"
        + "data: {\"a\":\r\n"
        + "data:  1}\r\n"
        + "\r\n"
        + "data: second\n"
        + "retry: 2500\n"
        + "\n"
        + "id: 3\r"
        + "data:third\r"
        + ":ignored\r"
        + "\r"
        + "data: é ünïcode ✓\n\n"
        + "data: never dispatched, the stream ends before its blank line\n"

    static let expected = [
        ServerSentEvent(id: "1", event: "status", data: "{\"a\":\n 1}"),
        ServerSentEvent(id: "1", data: "second", retry: 2500),
        ServerSentEvent(id: "3", data: "third"),
        ServerSentEvent(id: "3", data: "é ünïcode ✓"),
    ]

    @Test func parsesWholeStream() {
        var parser = ServerSentEventParser()
        #expect(parser.parse(Array(Self.stream.utf8)) == Self.expected)
    }

    @Test func parsesStreamSplitAtEveryByteOffset() {
        let bytes = Array(Self.stream.utf8)
        for offset in 0...bytes.count {
            var parser = ServerSentEventParser()
            let events = parser.parse(bytes[..<offset]) + parser.parse(bytes[offset...])
            #expect(events == Self.expected, "split at byte \(offset)")
        }
    }

    @Test func parsesStreamOneByteAtATime() {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for byte in Self.stream.utf8 { events += parser.parse([byte]) }
        #expect(events == Self.expected)
    }

    @Test func joinsMultiLineDataWithNewlines() {
        var parser = ServerSentEventParser()
        let events = parser.parse(Array("data: line one\ndata: line two\ndata:\ndata: line four\n\n".utf8))
        #expect(events.map(\.data) == ["line one\nline two\n\nline four"])
    }

    @Test func stripsOnlyOneSpaceAfterTheColon() {
        var parser = ServerSentEventParser()
        let events = parser.parse(Array("data:none\n\ndata: one\n\ndata:  two\n\n".utf8))
        #expect(events.map(\.data) == ["none", "one", " two"])
    }

    @Test func skipsEventsWithoutDataAndCommentOnlyBlocks() {
        var parser = ServerSentEventParser()
        let events = parser.parse(Array(": keep-alive\n\nevent: ping\n\nid: 7\n\ndata\n\ndata: real\n\n".utf8))
        #expect(events == [ServerSentEvent(id: "7", data: "real")])
    }

    @Test func keepsLastEventIDAcrossEventsAndIgnoresBadRetry() {
        var parser = ServerSentEventParser()
        let events = parser.parse(Array("id: a\ndata: 1\n\ndata: 2\nretry: soon\n\nid\ndata: 3\n\n".utf8))
        #expect(
            events == [
                ServerSentEvent(id: "a", data: "1"),
                ServerSentEvent(id: "a", data: "2"),
                ServerSentEvent(id: "", data: "3"),
            ])
    }

    @Test func handlesCRLFSplitBetweenChunks() {
        var parser = ServerSentEventParser()
        var events = parser.parse(Array("data: x\r".utf8))
        events += parser.parse(Array("\n\r".utf8))
        events += parser.parse(Array("\ndata: y\r\n\r\n".utf8))
        #expect(events.map(\.data) == ["x", "y"])
    }
}
