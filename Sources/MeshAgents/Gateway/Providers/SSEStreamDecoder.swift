import A2AClient
import NIOCore

/// What a provider does with each Server-Sent Event of its stream, and the response once the stream ends.
protocol SSEEventHandler: Sendable {
    /// The text deltas the event carries (usually zero or one); throws for an error event.
    mutating func handle(_ event: ServerSentEvent) throws -> [String]
    /// True once the provider has said the stream is complete (`[DONE]`, `message_stop`).
    var isComplete: Bool { get }
    /// The finished response, from everything handled so far.
    func response(text: String) throws -> LLMResponse
}

/// A ``StreamChunkDecoder`` for SSE bodies: parses events, lets the handler read them, and ends with `finished`.
struct SSEStreamDecoder<Handler: SSEEventHandler>: StreamChunkDecoder {
    var handler: Handler
    private var parser = ServerSentEventParser()
    private var text = ""
    private var finished = false

    init(_ handler: Handler) {
        self.handler = handler
    }

    mutating func feed(_ bytes: ByteBufferView) throws -> [LLMStreamEvent] {
        var events: [LLMStreamEvent] = []
        for event in parser.parse(bytes) where !finished {
            for delta in try handler.handle(event) where !delta.isEmpty {
                text += delta
                events.append(.delta(delta))
            }
            if handler.isComplete {
                finished = true
                events.append(.finished(try handler.response(text: text)))
            }
        }
        return events
    }

    mutating func finish() throws -> [LLMStreamEvent] {
        // Gemini has no end marker: the end of the body is the end of the stream.
        guard !finished else { return [] }
        finished = true
        return [.finished(try handler.response(text: text))]
    }
}
