import Foundation

/// OpenAI's documented chat-completions answers: a `chat.completion` object, or `chat.completion.chunk`
/// events with the usage chunk (stream_options.include_usage) and `data: [DONE]`.
enum FakeOpenAI {
    static let inputTokens = 11
    static let outputTokens = 7
    static let words = ["Hello", " from", " the", " fake", " model."]
    static var text: String { words.joined() }

    static func reply(_ call: ProviderCall) -> FakeReply {
        guard call.path == "/v1/chat/completions" else {
            return .json(#"{"error":{"message":"Unknown path","type":"invalid_request_error","param":null,"code":null}}"#, status: 404)
        }
        let model = call.json["model"] as? String ?? "gpt-test"
        if call.json["stream"] as? Bool == true { return stream(model: model) }
        return .json(
            """
            {"id":"chatcmpl-abc123","object":"chat.completion","created":1741569952,"model":"\(model)",\
            "choices":[{"index":0,"message":{"role":"assistant","content":"\(text)","refusal":null},\
            "logprobs":null,"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":\(inputTokens),"completion_tokens":\(outputTokens),"total_tokens":\(inputTokens + outputTokens)},\
            "system_fingerprint":"fp_test"}
            """)
    }

    static func stream(model: String) -> FakeReply {
        func chunk(_ choices: String, usage: String = "null") -> String {
            #"data: {"id":"chatcmpl-abc123","object":"chat.completion.chunk","created":1741569952,"model":""#
                + model + #"","system_fingerprint":"fp_test","choices":"# + choices + #","usage":"# + usage + "}\n\n"
        }
        var events = [chunk(#"[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]"#)]
        for word in words {
            events.append(chunk(#"[{"index":0,"delta":{"content":""# + word + #""},"logprobs":null,"finish_reason":null}]"#))
        }
        events.append(chunk(#"[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]"#))
        events.append(
            chunk("[]", usage: #"{"prompt_tokens":\#(inputTokens),"completion_tokens":\#(outputTokens),"total_tokens":\#(inputTokens + outputTokens)}"#))
        events.append("data: [DONE]\n\n")
        return .sse(events)
    }

    /// OpenAI's error body for an overloaded server.
    static let unavailable = FakeReply.json(
        #"{"error":{"message":"The server is overloaded.","type":"server_error","param":null,"code":null}}"#, status: 503)

    static func rateLimited(retryAfter: String) -> FakeReply {
        .json(
            #"{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#,
            status: 429, headers: ["retry-after": retryAfter])
    }
}
