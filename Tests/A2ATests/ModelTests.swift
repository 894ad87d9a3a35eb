import A2A
import Foundation
import Testing

@Suite("Protocol model")
struct ModelTests {
    func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
        try A2AJSON.decode(T.self, from: try A2AJSON.encode(value))
    }

    func json(_ value: some Encodable) throws -> JSONObject {
        try A2AJSON.decode(JSONObject.self, from: try A2AJSON.encode(value))
    }

    @Test func partIsExactlyOneOfItsContents() throws {
        #expect(try A2AJSON.decode(Part.self, from: Data(#"{"text":"hi"}"#.utf8)) == .text("hi"))
        #expect(
            try A2AJSON.decode(Part.self, from: Data(#"{"raw":"dGNr","filename":"a.txt"}"#.utf8)).content
                == .raw(Data("tck".utf8)))
        #expect(
            try A2AJSON.decode(Part.self, from: Data(#"{"url":"https://x/y"}"#.utf8)).content == .url("https://x/y"))
        #expect(
            try A2AJSON.decode(Part.self, from: Data(#"{"data":{"a":[1,true,null]}}"#.utf8)).content
                == .data(["a": [1, true, nil]]))
        #expect(throws: DecodingError.self) {
            try A2AJSON.decode(Part.self, from: Data(#"{"mediaType":"text/plain"}"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try A2AJSON.decode(Part.self, from: Data(#"{"text":"a","url":"b"}"#.utf8))
        }
        #expect(throws: DecodingError.self) { try A2AJSON.decode(Part.self, from: Data(#"{"raw":"%%%"}"#.utf8)) }
    }

    @Test func enumsUseProtoNames() throws {
        let message = Message(messageId: "m", role: .user, parts: [.text("x")])
        #expect(try json(message)["role"] == "ROLE_USER")
        #expect(try json(TaskStatus(state: .inputRequired))["state"] == "TASK_STATE_INPUT_REQUIRED")
        #expect(throws: DecodingError.self) {
            try A2AJSON.decode(Message.self, from: Data(#"{"messageId":"m","role":"user","parts":[]}"#.utf8))
        }
        // ProtoJSON readers also accept enum numbers.
        #expect(try A2AJSON.decode(TaskStatus.self, from: Data(#"{"state":3}"#.utf8)).state == .completed)
    }

    @Test func unknownFieldsAreIgnored() throws {
        let data = Data(
            #"{"messageId":"m","role":"ROLE_AGENT","parts":[{"text":"x","future":1}],"newField":{"a":1}}"#.utf8)
        #expect(try A2AJSON.decode(Message.self, from: data).parts == [.text("x")])
    }

    @Test func taskRoundTripsAndOmitsEmptyFields() throws {
        let task = A2ATask(
            id: "t", contextId: "c",
            status: TaskStatus(state: .working, timestamp: Timestamp(Date(timeIntervalSince1970: 1.5))),
            artifacts: [Artifact(artifactId: "a", parts: [.data(["k": "v"])])],
            history: [Message(messageId: "m", role: .user, parts: [.text("hi")])], metadata: ["x": 1])
        #expect(try roundTrip(task) == task)
        let object = try json(A2ATask(id: "t", contextId: "c", status: TaskStatus(state: .submitted, timestamp: nil)))
        #expect(Set(object.keys) == ["id", "contextId", "status"])
        #expect(try json(task)["status"]?.objectValue?["timestamp"] == "1970-01-01T00:00:01.500Z")
    }

    @Test(arguments: [0.0, 1.5, 951_782_400.75, 1_700_000_000.125, -86_400.5, 4_102_444_799.875, 68_169_600.0])
    func timestampsFormatLikeFoundation(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let expected = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        #expect(Timestamp(date).description == expected)
        #expect(Timestamp(iso8601: expected).map { abs($0.date.timeIntervalSince(date)) < 0.001 } == true)
    }

    /// A timestamp read back prints as it was written, through Foundation's reader and the fast one.
    @Test func writtenTimestampsReadBackUnchanged() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // Milliseconds between 1970 and 2100.
            let millis = Int64(state >> 22) % 4_102_444_800_000
            let text = Timestamp(Date(timeIntervalSince1970: Double(millis) / 1000)).description
            let parsed = try #require(Timestamp(iso8601: text), "\(text)")
            #expect(parsed.description == text)
            let fast = try #require(Timestamp.fastDate(text), "\(text)")
            #expect(Timestamp(fast).description == text)
        }
    }

    @Test func streamResponseHoldsExactlyOnePayload() throws {
        #expect(throws: DecodingError.self) { try A2AJSON.decode(StreamResponse.self, from: Data("{}".utf8)) }
        let event = StreamResponse.statusUpdate(
            TaskStatusUpdateEvent(
                taskId: "t", contextId: "c",
                status: TaskStatus(
                    state: .completed, timestamp: Timestamp(Date(timeIntervalSince1970: 1_700_000_000.25)))))
        #expect(try roundTrip(event) == event)
        #expect(event.endsStream)
    }

    @Test func errorsMapToBindingCodes() throws {
        let error = A2AError.taskNotFound("abc")
        let object = JSONRPCErrorObject(error)
        #expect(object.code == -32001)
        #expect(error.kind.httpStatus == 404)
        guard case .array(let details) = object.data else { Issue.record("ErrorInfo expected"); return }
        #expect(details.first?.objectValue?["@type"] == "type.googleapis.com/google.rpc.ErrorInfo")
        #expect(details.first?.objectValue?["reason"] == "TASK_NOT_FOUND")
        #expect(details.first?.objectValue?["metadata"]?.objectValue?["taskId"] == "abc")
        let rest = HTTPErrorBody(A2AError(.taskNotCancelable, "done"))
        #expect(rest.error.code == 400)
        #expect(rest.a2aError.kind == .taskNotCancelable)
        for kind in A2AError.Kind.allCases {
            #expect(A2AError.Kind(code: kind.code) == kind)
        }
    }

    @Test func versionsCompareMajorMinorOnly() {
        #expect(A2AProtocol.isSupported(version: "1.0"))
        #expect(A2AProtocol.isSupported(version: "1.0.1"))
        #expect(!A2AProtocol.isSupported(version: "0.3"))
        #expect(!A2AProtocol.isSupported(version: "1"))
        #expect(!A2AProtocol.isSupported(version: "9.9"))
    }

    @Test func requestsAcceptProtoJSONNumberForms() throws {
        let request = try A2AJSON.decode(GetTaskRequest.self, from: Data(#"{"id":"t","historyLength":"3"}"#.utf8))
        #expect(request.historyLength == 3)
        let list = try A2AJSON.decode(
            ListTasksRequest.self,
            from: Data(
                #"{"status":"TASK_STATE_WORKING","pageSize":10,"statusTimestampAfter":"2025-11-09T10:30:00Z"}"#.utf8))
        #expect(list.status == .working)
        #expect(list.statusTimestampAfter == Timestamp(iso8601: "2025-11-09T10:30:00.000Z"))
    }
}
