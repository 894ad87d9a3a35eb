import A2A
import Foundation
import Testing

/// The hand-written JSON of the request path says exactly what the `Codable` conformances say.
@Suite("JSONWriter")
struct JSONWriterTests {
    static let message = Message(
        messageId: "m-1", contextId: "c", taskId: "t", role: .agent,
        parts: [
            .text("quote \" backslash \\ newline \n tab \t control \u{01} unicode é 🚀 slash /"),
            Part(.raw(Data([0, 1, 2, 255])), filename: "a.bin", mediaType: "application/octet-stream"),
            Part(.url("https://example.com/x?y=1"), metadata: ["k": [1, 2.5, "s", nil, true]]),
            .data(["nested": ["a": [1, 2, ["b": false]]], "big": 1e20, "neg": -3, "frac": 0.125]),
        ],
        metadata: ["trace": "x"], extensions: ["https://ext/1"], referenceTaskIds: ["r1", "r2"])

    static let task = A2ATask(
        id: "t", contextId: "c",
        status: TaskStatus(
            state: .completed, message: message, timestamp: Timestamp(Date(timeIntervalSince1970: 1_700_000_000.125))),
        artifacts: [
            Artifact(
                artifactId: "a", name: "n", description: "d", parts: message.parts, metadata: ["m": 1],
                extensions: ["e"])
        ],
        history: [message], metadata: ["x": ["y": "z"]])

    func bothWays<T: Codable & Equatable & JSONWritable>(_ value: T) throws {
        let fast = try value.jsonData()
        let foundation = try A2AJSON.encodeWithFoundation(value)
        #expect(try A2AJSON.decode(T.self, from: fast) == A2AJSON.decode(T.self, from: foundation))
        #expect(
            try JSONSerialization.jsonObject(with: fast) as? NSDictionary == JSONSerialization.jsonObject(
                with: foundation) as? NSDictionary)
    }

    @Test func taskAndMessage() throws {
        try bothWays(Self.task)
        try bothWays(Self.message)
        try bothWays(
            A2ATask(id: "t", contextId: "c", status: TaskStatus(state: .submitted, timestamp: nil), artifacts: []))
    }

    @Test func streamEvents() throws {
        try bothWays(StreamResponse.task(Self.task))
        try bothWays(StreamResponse.message(Self.message))
        try bothWays(
            StreamResponse.statusUpdate(
                TaskStatusUpdateEvent(taskId: "t", contextId: "c", status: Self.task.status, metadata: ["k": "v"])))
        try bothWays(
            StreamResponse.artifactUpdate(
                TaskArtifactUpdateEvent(
                    taskId: "t", contextId: "c", artifact: Self.task.artifacts![0], append: true, lastChunk: true)))
    }

    @Test func jsonRPCEnvelopes() throws {
        let ok = JSONRPCResponse(id: .string("a\"b"), result: SendMessageResponse.task(Self.task))
        let fast = try ok.jsonData()
        let decoded = try A2AJSON.decode(JSONRPCResponse<SendMessageResponse>.self, from: fast)
        #expect(decoded.id == .string("a\"b"))
        #expect(decoded.result == .task(Self.task))
        let failed = JSONRPCResponse<SendMessageResponse>(
            id: .number(7), error: JSONRPCErrorObject(A2AError.taskNotFound("x")))
        let error = try A2AJSON.decode(JSONRPCResponse<SendMessageResponse>.self, from: try failed.jsonData())
        #expect(error.error?.code == -32001)
        #expect(error.id == .number(7))
    }

    /// The request the master sends for every step, and the same with every optional member.
    @Test func sendMessageRequests() throws {
        try bothWays(SendMessageRequest(message: Self.message))
        let full = SendMessageRequest(
            tenant: "t", message: Self.message,
            configuration: SendMessageConfiguration(
                acceptedOutputModes: ["text/plain"],
                taskPushNotificationConfig: TaskPushNotificationConfig(
                    url: "https://hook/x", token: "tok",
                    authentication: AuthenticationInfo(scheme: "Bearer", credentials: "c")),
                historyLength: 2, returnImmediately: true),
            metadata: ["skill": "plan", "round": 1])
        try bothWays(full)
        for request in [SendMessageRequest(message: Self.message), full] {
            let envelope = JSONRPCRequest(id: .string("r\"1"), method: "SendStreamingMessage", params: request)
            let fast = try envelope.jsonData()
            let foundation = try A2AJSON.encodeWithFoundation(envelope)
            let decoded = try A2AJSON.decode(JSONRPCRequest<SendMessageRequest>.self, from: fast)
            #expect(decoded.params == request)
            #expect(decoded.id == .string("r\"1"))
            #expect(decoded.method == "SendStreamingMessage")
            #expect(
                try JSONSerialization.jsonObject(with: fast) as? NSDictionary
                    == JSONSerialization.jsonObject(with: foundation) as? NSDictionary)
        }
        let noParams = JSONRPCRequest<SendMessageRequest>(id: .number(3), method: "GetExtendedAgentCard", params: nil)
        #expect(
            try JSONSerialization.jsonObject(with: noParams.jsonData()) as? NSDictionary
                == JSONSerialization.jsonObject(with: A2AJSON.encodeWithFoundation(noParams)) as? NSDictionary)
    }

    @Test func nonFiniteNumbersBecomeNull() throws {
        let data = try JSONValue.array([.number(.infinity), .number(.nan)]).jsonData()
        #expect(String(decoding: data, as: UTF8.self) == "[null,null]")
    }
}
