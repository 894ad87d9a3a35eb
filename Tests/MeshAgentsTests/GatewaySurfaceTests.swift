import A2A
import A2AClient
import CloudMap
import Foundation
import MeshAgents
import MeshTesting
import Testing

/// Which fake provider a test runs the gateway against.
enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case openai, bedrock

    var testDescription: String { rawValue }

    func reply(_ call: ProviderCall) -> FakeReply {
        self == .openai ? FakeOpenAI.reply(call) : FakeBedrock.reply(call)
    }

    var text: String { self == .openai ? FakeOpenAI.text : FakeBedrock.text }
    var deltas: [String] { self == .openai ? FakeOpenAI.words : FakeBedrock.words }
    var usage: (input: Int, output: Int) {
        self == .openai ? (FakeOpenAI.inputTokens, FakeOpenAI.outputTokens) : (FakeBedrock.inputTokens, FakeBedrock.outputTokens)
    }
    var model: String { self == .openai ? "gpt-test" : "anthropic.claude-3-haiku-20240307-v1:0" }

    func environment(_ fake: FakeProviderServer) -> [String: String] {
        switch self {
        case .openai:
            ["LLM_PROVIDER": "openai:gpt-test", "OPENAI_BASE_URL": fake.baseURL, "OPENAI_API_KEY": "sk-test-SECRET-openai"]
        case .bedrock:
            [
                "LLM_PROVIDER": "bedrock:\(model)", "BEDROCK_ENDPOINT_URL": fake.baseURL, "AWS_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ]
        }
    }

    /// Checks what the gateway sent: path, auth headers (a SigV4 signature that verifies), body.
    func checkSent(_ call: ProviderCall, stream: Bool) throws {
        #expect(call.method == "POST")
        switch self {
        case .openai:
            #expect(call.path == "/v1/chat/completions")
            #expect(call.headers["authorization"] == "Bearer sk-test-SECRET-openai")
            #expect(call.json["model"] as? String == "gpt-test")
            let messages = try #require(call.json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["system", "user"])
            #expect(call.json["temperature"] as? Double == 0.25)
            #expect(call.json["max_tokens"] as? Int == 64)
            #expect((call.json["stream"] as? Bool ?? false) == stream)
            if stream { #expect((call.json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true) }
        case .bedrock:
            #expect(call.path == "/model/anthropic.claude-3-haiku-20240307-v1%3A0/\(stream ? "converse-stream" : "converse")")
            let authorization = try #require(call.headers["authorization"])
            let date = try #require(call.headers["x-amz-date"])
            #expect(
                authorization.hasPrefix(
                    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\(date.prefix(8))/us-east-1/bedrock/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, Signature="))
            // Recompute the signature over what arrived: a server holding the secret accepts it.
            let signer = SigV4Signer(
                credentials: AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                region: "us-east-1", service: "bedrock")
            let (canonical, _) = signer.canonicalRequest(
                SigV4Signer.Request(
                    method: "POST", path: call.path,
                    headers: [("content-type", call.headers["content-type"] ?? ""), ("host", call.headers["host"] ?? ""), ("x-amz-date", date)],
                    body: call.body))
            let expected = signer.signature(stringToSign: signer.stringToSign(canonicalRequest: canonical, amzDate: date), amzDate: date)
            #expect(authorization.hasSuffix("Signature=\(expected)"), "\(call.headers)")
            let messages = try #require(call.json["messages"] as? [[String: Any]])
            #expect(messages.count == 1)
            #expect(((messages[0]["content"] as? [[String: Any]])?.first?["text"]) as? String == "Say hi.")
            #expect(((call.json["system"] as? [[String: Any]])?.first?["text"]) as? String == "Be brief.")
            let config = try #require(call.json["inferenceConfig"] as? [String: Any])
            #expect(config["maxTokens"] as? Int == 64)
            #expect(config["temperature"] as? Double == 0.25)
        }
    }
}

@Suite("llm-gateway surfaces against fake providers", .serialized)
struct GatewaySurfaceTests {
    static let dataPart = Part.data([
        "messages": [["role": "system", "content": "Be brief."], ["role": "user", "content": "Say hi."]],
        "temperature": 0.25, "maxTokens": 64,
    ])
    static let chatBody = """
        {"model":"MODEL","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hi."}],\
        "temperature":0.25,"max_tokens":64STREAM}
        """

    @Test(arguments: Backend.allCases)
    func generateOverA2A(backend: Backend) async throws {
        try await FakeProviderServer.with(respond: { call, _ in backend.reply(call) }) { fake in
            try await withGateway(environment: backend.environment(fake)) { gateway in
                let client = try await gateway.a2aClient()
                let answer = try await client.sendMessage(SendMessageRequest(message: generateMessage(Self.dataPart)))
                guard case .task(let task) = answer else { Issue.record("expected a task, got \(answer)"); return }
                #expect(task.status.state == .completed)
                let artifact = try #require(task.artifacts?.first)
                #expect(artifact.parts.compactMap(\.text).joined() == backend.text)
                let usage = artifact.metadata?["usage"]?.objectValue
                #expect(usage?["inputTokens"]?.numberValue == Double(backend.usage.input))
                #expect(usage?["outputTokens"]?.numberValue == Double(backend.usage.output))
                #expect(artifact.metadata?["provider"]?.stringValue == backend.rawValue)
                try backend.checkSent(try #require(fake.calls.first), stream: false)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func generateStreamsOverA2A(backend: Backend) async throws {
        try await FakeProviderServer.with(respond: { call, _ in backend.reply(call) }) { fake in
            try await withGateway(environment: backend.environment(fake)) { gateway in
                let client = try await gateway.a2aClient()
                var chunks: [String] = []
                var lastChunkMetadata: JSONObject?
                var finalState: TaskState?
                for try await event in try await client.sendStreamingMessage(SendMessageRequest(message: generateMessage(Self.dataPart))) {
                    switch event {
                    case .artifactUpdate(let update):
                        chunks += update.artifact.parts.compactMap(\.text)
                        if update.lastChunk { lastChunkMetadata = update.artifact.metadata }
                    case .statusUpdate(let update): finalState = update.status.state
                    default: break
                    }
                }
                #expect(chunks == backend.deltas)
                #expect(finalState == .completed)
                #expect(lastChunkMetadata?["usage"]?.objectValue?["outputTokens"]?.numberValue == Double(backend.usage.output))
                try backend.checkSent(try #require(fake.calls.first), stream: true)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func chatCompletions(backend: Backend) async throws {
        try await FakeProviderServer.with(respond: { call, _ in backend.reply(call) }) { fake in
            try await withGateway(environment: backend.environment(fake)) { gateway in
                let body = Self.chatBody.replacingOccurrences(of: "MODEL", with: backend.model)
                    .replacingOccurrences(of: "STREAM", with: "")
                let (status, text) = try await gateway.post("/v1/chat/completions", body)
                #expect(status == 200)
                let answer = jsonObject(text)
                #expect(answer["object"] as? String == "chat.completion")
                #expect((answer["id"] as? String)?.hasPrefix("chatcmpl-") == true)
                let choice = try #require((answer["choices"] as? [[String: Any]])?.first)
                #expect((choice["message"] as? [String: Any])?["content"] as? String == backend.text)
                #expect((choice["message"] as? [String: Any])?["role"] as? String == "assistant")
                #expect(choice["finish_reason"] as? String == "stop")
                let usage = try #require(answer["usage"] as? [String: Any])
                #expect(usage["prompt_tokens"] as? Int == backend.usage.input)
                #expect(usage["completion_tokens"] as? Int == backend.usage.output)
                #expect(usage["total_tokens"] as? Int == backend.usage.input + backend.usage.output)
                try backend.checkSent(try #require(fake.calls.first), stream: false)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func chatCompletionsStream(backend: Backend) async throws {
        try await FakeProviderServer.with(respond: { call, _ in backend.reply(call) }) { fake in
            try await withGateway(environment: backend.environment(fake)) { gateway in
                let body = Self.chatBody.replacingOccurrences(of: "MODEL", with: backend.model)
                    .replacingOccurrences(of: "STREAM", with: #","stream":true,"stream_options":{"include_usage":true}"#)
                let (status, text) = try await gateway.post("/v1/chat/completions", body)
                #expect(status == 200)
                let events = sseData(text)
                #expect(events.last == "[DONE]")
                let chunks = events.dropLast().map(jsonObject)
                #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
                let deltas = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any])?["content"] as? String }
                #expect(deltas == backend.deltas)
                #expect(chunks.contains { (($0["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String) == "stop" })
                let usage = try #require(chunks.last?["usage"] as? [String: Any])
                #expect(usage["prompt_tokens"] as? Int == backend.usage.input)
                #expect(usage["completion_tokens"] as? Int == backend.usage.output)
                try backend.checkSent(try #require(fake.calls.first), stream: true)
            }
        }
    }
}
