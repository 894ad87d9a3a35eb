/// One event of a `text/event-stream` body.
public struct ServerSentEvent: Sendable, Hashable {
    /// The last event id seen on the stream (ids persist until the server sets a new one).
    public var id: String?
    /// The event type; `nil` means the default type, `message`.
    public var event: String?
    /// The data lines of the event, joined with `"\n"`.
    public var data: String
    /// The reconnection time in milliseconds, if this event set one.
    public var retry: Int?

    public init(id: String? = nil, event: String? = nil, data: String, retry: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retry = retry
    }
}

/// An incremental parser for Server-Sent Events (the WHATWG `text/event-stream` format).
///
/// Feed it byte chunks split anywhere; it returns each event once its terminating blank line arrives.
/// An event with empty data is not dispatched, and an unterminated event at the end of the stream is dropped,
/// as the format requires.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var previousWasCR = false
    private var data: [String] = []
    private var eventType: String?
    private var lastEventID: String?
    private var retry: Int?

    public init() {}

    /// Consumes the next chunk of the stream and returns the events it completes.
    public mutating func parse<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n") where previousWasCR:
                previousWasCR = false  // the LF of a CRLF pair; the line already ended at the CR
            case UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                previousWasCR = byte == UInt8(ascii: "\r")
                if let event = endLine() { events.append(event) }
            default:
                previousWasCR = false
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.endIndex
        let field = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon == line.endIndex ? colon : colon + 1
        if valueStart < line.endIndex, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch field {
        case "data": data.append(value)
        case "event": eventType = value
        case "id" where !value.contains("\u{0}"): lastEventID = value
        case "retry" where !value.isEmpty && value.utf8.allSatisfy({ (48...57).contains($0) }): retry = Int(value)
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            data.removeAll()
            eventType = nil
            retry = nil
        }
        let joined = data.joined(separator: "\n")
        guard !joined.isEmpty else { return nil }
        let type = eventType.flatMap { $0.isEmpty ? nil : $0 }
        return ServerSentEvent(id: lastEventID, event: type, data: joined, retry: retry)
    }
}
