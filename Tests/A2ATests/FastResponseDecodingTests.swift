import Foundation
import Testing

@testable import A2A

/// The Equatable parts of a JSON-RPC response, to compare two decodings.
struct Envelope<R: Codable & Sendable & Hashable>: Hashable {
    var jsonrpc: String
    var id: JSONRPCID
    var result: R?
    var error: JSONRPCErrorObject?

    init(_ response: JSONRPCResponse<R>) {
        (jsonrpc, id, result, error) = (response.jsonrpc, response.id, response.result, response.error)
    }
}

/// What a decoding produced: a value, or the error's description.
enum Outcome<T: Equatable>: Equatable {
    case value(T)
    case failure(String)

    init(_ decode: () throws -> T) {
        do { self = .value(try decode()) } catch { self = .failure(String(describing: error)) }
    }
}

/// The fast path reads `data` itself, without refusing, and gets exactly what Foundation gets.
func expectFast<T: FastDecodable & Decodable & Equatable>(
    _ type: T.Type, _ data: Data, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let parsed = try #require(JSONParser.parse(data), sourceLocation: sourceLocation)
    let fast = try T(fastParsed: parsed)
    let foundation = try A2AJSON.decodeWithFoundation(T.self, from: data)
    #expect(fast == foundation, "\(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
    #expect(try A2AJSON.decode(T.self, from: data) == foundation, sourceLocation: sourceLocation)
}

/// The same for a JSON-RPC envelope, which is not Equatable itself.
func expectFastEnvelope<R: FastDecodable & Codable & Sendable & Hashable>(
    _ type: R.Type, _ data: Data, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let parsed = try #require(JSONParser.parse(data), sourceLocation: sourceLocation)
    let fast = Envelope(try JSONRPCResponse<R>(fastParsed: parsed))
    let foundation = Envelope(try A2AJSON.decodeWithFoundation(JSONRPCResponse<R>.self, from: data))
    #expect(fast == foundation, "\(String(decoding: data, as: UTF8.self))", sourceLocation: sourceLocation)
    #expect(
        Envelope(try A2AJSON.decode(JSONRPCResponse<R>.self, from: data)) == foundation, sourceLocation: sourceLocation)
}

/// Reads of the response types by the hand-written parser equal Foundation's for realistic payloads.
@Suite("Fast response decoding")
struct FastResponseDecodingTests {
    static let stamp = Timestamp(Date(timeIntervalSince1970: 1_763_715_522.341))

    static let parts: [Part] = [
        .text("plain"),
        .text("quote \" backslash \\ newline \n tab \t é 🚀 / \u{01}", mediaType: "text/markdown"),
        Part(.raw(Data([0, 1, 2, 254, 255])), filename: "report.pdf", mediaType: "application/pdf"),
        Part(
            .url("https://files.example/a?b=1&c=%20"), metadata: ["size": 1024, "tags": ["x", "y"]], filename: "a.png"),
        .data(["rows": [["id": 1, "score": 0.125], ["id": 2, "score": -3e-7]], "ok": true, "none": nil, "big": 1e21]),
        Part(.data(.array([1, "two", [3]])), metadata: ["snake_key": "kept as sent"]),
        Part(.data(.null)),
    ]

    static let message = Message(
        messageId: "m-1", contextId: "ctx", taskId: "task", role: .agent, parts: parts,
        metadata: ["trace_id": "abc", "nested": ["deep": [1, 2, ["x": nil]]]], extensions: ["https://ext/1"],
        referenceTaskIds: ["r1", "r2"])

    static let userMessage = Message(messageId: "u-1", role: .user, parts: [.text("hello")])

    static let artifacts = [
        Artifact(
            artifactId: "a1", name: "summary", description: "the answer", parts: parts, metadata: ["m": 1],
            extensions: ["e"]),
        Artifact(artifactId: "a2", parts: [.text("chunk")]),
    ]

    static func tasks() -> [A2ATask] {
        TaskState.allCases.flatMap { state in
            [
                A2ATask(
                    id: "t-\(state.rawValue)", contextId: "ctx",
                    status: TaskStatus(state: state, message: message, timestamp: stamp), artifacts: artifacts,
                    history: [userMessage, message], metadata: ["priority": 3, "labels": ["a"]]),
                A2ATask(id: "t", contextId: "c", status: TaskStatus(state: state, timestamp: nil)),
                A2ATask(id: "t", contextId: "", status: TaskStatus(state: state, timestamp: stamp), artifacts: []),
            ]
        }
    }

    static func events() -> [StreamResponse] {
        var events = tasks().map(StreamResponse.task) + [.message(message), .message(userMessage)]
        for state in TaskState.allCases {
            events.append(
                .statusUpdate(TaskStatusUpdateEvent(taskId: "t", contextId: "c", status: TaskStatus(state: state))))
            events.append(
                .statusUpdate(
                    TaskStatusUpdateEvent(
                        taskId: "t", contextId: "c",
                        status: TaskStatus(state: state, message: message, timestamp: stamp),
                        metadata: ["k": "v"])))
        }
        for (append, lastChunk) in [(false, false), (true, false), (false, true), (true, true)] {
            for artifact in artifacts {
                events.append(
                    .artifactUpdate(
                        TaskArtifactUpdateEvent(
                            taskId: "t", contextId: "c", artifact: artifact, append: append, lastChunk: lastChunk,
                            metadata: append ? ["seq": 2] : nil)))
            }
        }
        return events
    }

    /// Both writers' output, and Foundation's pretty-printed form.
    static func encodings<T: Encodable & JSONWritable>(_ value: T) throws -> [Data] {
        [
            try value.jsonData(), try A2AJSON.encodeWithFoundation(value),
            try A2AJSON.makeEncoder(pretty: true).encode(value),
        ]
    }

    @Test func streamEventsAndTheirEnvelopes() throws {
        for (index, event) in Self.events().enumerated() {
            for data in try Self.encodings(event) { try expectFast(StreamResponse.self, data) }
            for id in [JSONRPCID.number(Int64(index)), .string("req-\(index)"), .null] {
                for data in try Self.encodings(JSONRPCResponse(id: id, result: event)) {
                    try expectFastEnvelope(StreamResponse.self, data)
                }
            }
        }
    }

    @Test func tasksAndSendMessageResults() throws {
        for task in Self.tasks() {
            for data in try Self.encodings(task) {
                try expectFast(A2ATask.self, data)
                try expectFast(TaskStatus.self, try task.status.jsonData())
            }
            for data in try Self.encodings(JSONRPCResponse(id: .number(7), result: task)) {
                try expectFastEnvelope(A2ATask.self, data)
            }
            for data in try Self.encodings(JSONRPCResponse(id: .string("x"), result: SendMessageResponse.task(task))) {
                try expectFastEnvelope(SendMessageResponse.self, data)
            }
        }
        for message in [Self.message, Self.userMessage] {
            for data in try Self.encodings(SendMessageResponse.message(message)) {
                try expectFast(SendMessageResponse.self, data)
            }
            for data in try Self.encodings(message) { try expectFast(Message.self, data) }
        }
        for part in Self.parts { for data in try Self.encodings(part) { try expectFast(Part.self, data) } }
        for artifact in Self.artifacts {
            for data in try Self.encodings(artifact) { try expectFast(Artifact.self, data) }
        }
    }

    @Test func wireExamplesOfTheReferenceSDK() throws {
        for data in try WireExampleTests.events("v1_jsonrpc_SendStreamingMessage.sse") {
            try expectFastEnvelope(StreamResponse.self, data)
        }
        for data in try WireExampleTests.events("v1_rest_message_stream.sse") {
            try expectFast(StreamResponse.self, data)
        }
        try expectFast(SendMessageResponse.self, try WireExampleTests.load("v1_rest_message_send.json"))
        try expectFast(StreamResponse.self, try WireExampleTests.load("v1_rest_message_send.json"))

        // ListTasks is not on the fast path, but its tasks carry ProtoJSON defaults ("" and []).
        let list = try WireExampleTests.load("v1_jsonrpc_ListTasks.json")
        let page = try #require(
            try A2AJSON.decodeWithFoundation(JSONRPCResponse<ListTasksResponse>.self, from: list).result)
        guard case .array(let tasks)? = JSONParser.parse(list)?.member("result")?.member("tasks") else {
            Issue.record("no tasks in the ListTasks example")
            return
        }
        #expect(try tasks.map { task throws(FastPathRefusal) in try A2ATask(fastParsed: task) } == page.tasks)
    }

    @Test func errorsAndVersion03PayloadsGoThroughFoundation() throws {
        for name in [
            "v1_jsonrpc_GetTask_notfound.json", "v03_jsonrpc_tasks_get_notfound.json", "jsonrpc_parse_error.json",
        ] {
            let data = try WireExampleTests.load(name)
            #expect(A2AJSON.fastDecode(JSONRPCResponse<A2ATask>.self, from: data) == nil)
            let decoded = Envelope(try A2AJSON.decode(JSONRPCResponse<A2ATask>.self, from: data))
            #expect(decoded == Envelope(try A2AJSON.decodeWithFoundation(JSONRPCResponse<A2ATask>.self, from: data)))
            #expect(decoded.error != nil)
        }
        for data in try WireExampleTests.events("v03_jsonrpc_message_stream.sse") {
            #expect(A2AJSON.fastDecode(JSONRPCResponse<StreamResponse>.self, from: data) == nil)
            #expect(
                Outcome { Envelope(try A2AJSON.decode(JSONRPCResponse<StreamResponse>.self, from: data)) }
                    == Outcome {
                        Envelope(try A2AJSON.decodeWithFoundation(JSONRPCResponse<StreamResponse>.self, from: data))
                    })
        }
    }

    /// The direct timestamp reader returns Foundation's date bit for bit, for every fraction length.
    @Test func timestampsMatchFoundation() {
        var generator = SplitMix64(seed: 42)
        var fast = 0
        func pad(_ value: UInt64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        for round in 0..<4000 {
            let year = round % 4 == 0 ? 1600 + generator.next() % 8400 : 1990 + generator.next() % 60
            var text = "\(pad(year, 4))-\(pad(1 + generator.next() % 12, 2))-\(pad(1 + generator.next() % 31, 2))T"
            text += "\(pad(generator.next() % 24, 2)):\(pad(generator.next() % 60, 2)):\(pad(generator.next() % 60, 2))"
            let digits = Int(generator.next() % 10)
            if digits > 0 {
                var limit: UInt64 = 1
                for _ in 0..<digits { limit *= 10 }
                text += "." + pad(generator.next() % limit, digits)
            }
            text += "Z"
            guard let date = Timestamp.fastDate(text) else { continue }
            fast += 1
            #expect(date == Timestamp(iso8601: text)?.date, "\(text)")
        }
        #expect(fast > 3600)
        for text in [
            "2026-11-21T08:58:42.341Z", "2024-02-29T23:59:59.999999999Z", "2001-01-01T00:00:00Z",
            "1970-01-01T00:00:00.001Z",
        ] {
            #expect(Timestamp.fastDate(text) != nil)
            #expect(Timestamp.fastDate(text) == Timestamp(iso8601: text)?.date, "\(text)")
        }
        for text in [
            "2025-02-29T00:00:00Z", "2025-01-01T24:00:00Z", "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00+00:00",
            "2025-01-01t00:00:00Z", "2025-01-01T00:00:00.1234567890Z", "1500-01-01T00:00:00Z",
        ] {
            #expect(Timestamp.fastDate(text) == nil, "\(text)")
        }
    }
}

/// A small deterministic generator (SplitMix64), so the timestamp sweep is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
