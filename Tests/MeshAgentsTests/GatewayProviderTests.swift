import AsyncHTTPClient
import Foundation
import MeshAgents
import NIOCore
import Testing

/// The Anthropic and Gemini providers against fakes of their documented formats, the event-stream framing,
/// and the offline provider.
@Suite("llm-gateway providers")
struct GatewayProviderTests {
    static let request = LLMRequest(
        messages: [ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Say hi.")],
        temperature: 0.5, maxTokens: 32)
    static var deadline: NIODeadline { .now() + .seconds(10) }

    static func anthropicReply(_ call: ProviderCall) -> FakeReply {
        if call.json["stream"] as? Bool == true {
            return .sse([
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-test\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n",
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                "event: ping\ndata: {\"type\": \"ping\"}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"}}\n\n",
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            ])
        }
        return .json(
            #"{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hi there"}],"model":"claude-test","stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":15}}"#
        )
    }

    @Test(arguments: [false, true])
    func anthropicMessagesAPI(stream: Bool) async throws {
        try await FakeProviderServer.with(respond: { call, _ in Self.anthropicReply(call) }) { fake in
            let provider = AnthropicProvider(
                baseURL: fake.baseURL, apiKey: Secret("ant-key-123"), defaultModel: "claude-test", client: .shared)
            let response =
                stream
                ? try await provider.stream(Self.request, model: "claude-test", deadline: Self.deadline).collect()
                : try await provider.complete(Self.request, model: "claude-test", deadline: Self.deadline)
            #expect(response.text == "Hi there")
            #expect(response.usage == LLMUsage(inputTokens: 25, outputTokens: 15))
            #expect(response.finishReason == (stream ? "stop" : "length"))
            let call = try #require(fake.calls.first)
            #expect(call.path == "/v1/messages")
            #expect(call.headers["x-api-key"] == "ant-key-123")
            #expect(call.headers["anthropic-version"] == "2023-06-01")
            #expect(call.json["system"] as? String == "Be brief.")
            #expect(call.json["max_tokens"] as? Int == 32)
            #expect((call.json["messages"] as? [[String: Any]])?.map { $0["role"] as? String } == ["user"])
        }
    }

    @Test(arguments: [false, true])
    func geminiGenerateContent(stream: Bool) async throws {
        try await FakeProviderServer.with(respond: { call, _ in
            func chunk(_ text: String, _ finish: String?, _ output: Int) -> String {
                #"{"candidates":[{"content":{"parts":[{"text":"\#(text)"}],"role":"model"}\#(finish.map { #","finishReason":"\#($0)""# } ?? "")}],"usageMetadata":{"promptTokenCount":9,"candidatesTokenCount":\#(output),"totalTokenCount":\#(9 + output)},"modelVersion":"gemini-test"}"#
            }
            if call.path.contains(":streamGenerateContent") {
                return .sse([
                    "data: " + chunk("Hi", nil, 1) + "\r\n\r\n", "data: " + chunk(" there", "STOP", 4) + "\r\n\r\n",
                ])
            }
            return .json(chunk("Hi there", "STOP", 4))
        }) { fake in
            let provider = GeminiProvider(
                baseURL: fake.baseURL + "/v1beta", apiKey: Secret("AIza-test"), defaultModel: "gemini-test",
                client: .shared)
            let response =
                stream
                ? try await provider.stream(Self.request, model: "gemini-test", deadline: Self.deadline).collect()
                : try await provider.complete(Self.request, model: "gemini-test", deadline: Self.deadline)
            #expect(response.text == "Hi there")
            #expect(response.usage == LLMUsage(inputTokens: 9, outputTokens: 4))
            let call = try #require(fake.calls.first)
            #expect(
                call.path
                    == (stream
                        ? "/v1beta/models/gemini-test:streamGenerateContent?alt=sse"
                        : "/v1beta/models/gemini-test:generateContent"))
            #expect(call.headers["x-goog-api-key"] == "AIza-test")
            #expect(!call.path.contains("AIza"))
            #expect(
                ((call.json["systemInstruction"] as? [String: Any])?["parts"] as? [[String: Any]])?.first?["text"]
                    as? String == "Be brief.")
            #expect((call.json["generationConfig"] as? [String: Any])?["maxOutputTokens"] as? Int == 32)
            #expect((call.json["contents"] as? [[String: Any]])?.first?["role"] as? String == "user")
        }
    }

    @Test func eventStreamFramingChecksCRCs() throws {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        let frame = FakeBedrock.event("contentBlockDelta", #"{"delta":{"text":"x"}}"#)
        var decoder = AWSEventStreamDecoder()
        // Byte by byte: a message is only returned once it is whole.
        var messages: [AWSEventStreamMessage] = []
        for byte in frame { messages += try decoder.feed([byte]) }
        #expect(messages.count == 1)
        #expect(messages.first?.headers[":event-type"] == "contentBlockDelta")
        #expect(messages.first?.payload == Array(#"{"delta":{"text":"x"}}"#.utf8))
        var again = AWSEventStreamDecoder()
        #expect(try again.feed(try #require(messages.first).encoded()) == messages)
        var corrupt = frame
        corrupt[corrupt.count - 6] ^= 0x01
        #expect(throws: AWSEventStreamError.self) {
            var fresh = AWSEventStreamDecoder()
            _ = try fresh.feed(corrupt)
        }
        var badPrelude = frame
        badPrelude[2] ^= 0x01
        #expect(throws: AWSEventStreamError.self) {
            var fresh = AWSEventStreamDecoder()
            _ = try fresh.feed(badPrelude)
        }
    }

    @Test func offlineProviderIsDeterministicAndSaysSo() async throws {
        let provider = OfflineProvider()
        let plan = LLMRequest(messages: [
            ChatMessage(role: .system, content: "You plan the work."),
            ChatMessage(role: .user, content: "Write a guide to agent cards. Cover discovery. Cover skills."),
        ])
        let first = try await provider.complete(plan, model: "ignored", deadline: Self.deadline)
        let second = try await provider.complete(plan, model: "ignored", deadline: Self.deadline)
        #expect(first == second)
        #expect(first.model == "offline-1")
        #expect(first.text.hasPrefix("[offline] Plan\n1. Clarify the goal: Write a guide to agent cards"))
        let judge = try await provider.complete(
            LLMRequest(messages: [
                ChatMessage(role: .system, content: "Evaluate the draft."),
                ChatMessage(role: .user, content: "Short draft."),
            ]),
            model: "", deadline: Self.deadline)
        #expect(judge.text.contains(#""score": "#))
        let streamed = try await provider.stream(plan, model: "", deadline: Self.deadline).collect()
        #expect(streamed.text == first.text)
    }

    /// A prompt laid out as the workers' templates are: the request under `Request:`, shared memory as JSON.
    @Test func offlineProviderDraftsFromThePassagesThePromptQuotes() async throws {
        let memory: [String: Any] = [
            "retrieve": [
                "query": "How do agents find each other?",
                "passages": [
                    [
                        "id": "k:1", "source": "/srv/knowledge/discovery.md",
                        "text": "# Discovery\n\nAgents find each other over mDNS on the local network, or through\n"
                            + "a registry. Nothing else is needed.\n\n- Each agent publishes its card at a well-known URL.",
                    ],
                    [
                        "id": "k:2", "source": "",
                        "text": "Tasks have states. A task ends completed, failed or canceled.",
                    ],
                ],
            ]
        ]
        let json = String(
            decoding: try JSONSerialization.data(withJSONObject: memory, options: [.prettyPrinted, .sortedKeys]),
            as: UTF8.self)
        let prompt =
            "You plan answers for a team.\n\nRequest:\nHow do agents find each other?\n\nMemory:\n\(json)\n\nWrite it."
        let request = LLMRequest(messages: [
            ChatMessage(role: .system, content: "You draft answers."), ChatMessage(role: .user, content: prompt),
        ])
        let answer = try await OfflineProvider().complete(request, model: "", deadline: Self.deadline).text
        #expect(answer.hasPrefix("[offline] A draft assembled from the shared knowledge base"))
        // The wrapped line is one sentence again, the heading is left out, and the list item stands alone.
        #expect(
            answer.contains(
                "Agents find each other over mDNS on the local network, or through a registry. (discovery.md)"),
            "\(answer)")
        #expect(answer.contains(" Each agent publishes its card at a well-known URL. (discovery.md)"), "\(answer)")
        #expect(!answer.contains("# Discovery"))
        #expect(!answer.contains("Tasks have states"), "a sentence sharing no term with the request was kept")
        #expect(answer.hasSuffix("about \"How do agents find each other?\"; anything beyond them is unknown here."))
        #expect(try await OfflineProvider().complete(request, model: "", deadline: Self.deadline).text == answer)
    }
}
