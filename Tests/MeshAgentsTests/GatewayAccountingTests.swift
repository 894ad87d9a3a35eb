import A2A
import A2AClient
import Foundation
import MeshAgents
import MeshTesting
import Testing

/// Token counters in a real redis-server and in `/metrics`, the Redis response cache, and bad input.
@Suite("llm-gateway accounting and cache", .serialized)
struct GatewayAccountingTests {
    @Test(arguments: Backend.allCases)
    func countersMatchTheProvidersUsage(backend: Backend) async throws {
        try await RedisServer.with { redis async throws in
            try await FakeProviderServer.with(respond: { call, _ in backend.reply(call) }) { fake in
                try await withGateway(environment: backend.environment(fake), redis: redis) { gateway in
                    let client = try await gateway.a2aClient()
                    let message = generateMessage(GatewaySurfaceTests.dataPart, agent: "worker-a", task: "task-1")
                    _ = try await client.sendMessage(SendMessageRequest(message: message))
                    let body = #"{"model":"\#(backend.model)","messages":[{"role":"user","content":"Again."}],"stream":true}"#
                    let (status, _) = try await gateway.post("/v1/chat/completions", body, headers: [("X-Mesh-Agent", "worker-a")])
                    #expect(status == 200)
                    #expect(fake.calls.count == 2)

                    let (input, output) = backend.usage
                    for key in ["mesh:llm:usage:agent:worker-a", "mesh:llm:usage:model:\(backend.model)"] {
                        #expect(try await redis.redisCLI("HGET", key, "input_tokens") == "\(2 * input)")
                        #expect(try await redis.redisCLI("HGET", key, "output_tokens") == "\(2 * output)")
                        #expect(try await redis.redisCLI("HGET", key, "requests") == "2")
                    }
                    #expect(try await redis.redisCLI("HGET", "mesh:llm:usage:task:{task-1}", "input_tokens") == "\(input)")
                    #expect(try await redis.redisCLI("HGET", "mesh:llm:usage:task:{task-1}", "output_tokens") == "\(output)")

                    let metrics = try await gateway.get("/metrics")
                    let labels = #"provider="\#(backend.rawValue)",model="\#(backend.model)",agent="worker-a""#
                    #expect(metrics.contains(#"llm_tokens_total{\#(labels),direction="input"} \#(2 * input)"#), "\(metrics)")
                    #expect(metrics.contains(#"llm_tokens_total{\#(labels),direction="output"} \#(2 * output)"#))
                    #expect(metrics.contains(#"llm_requests_total{\#(labels),cached="false"} 2"#))
                }
            }
        }
    }

    @Test func cacheAnswersTheSecondIdenticalRequest() async throws {
        try await RedisServer.with { redis async throws in
            try await FakeProviderServer.with(respond: { call, _ in FakeOpenAI.reply(call) }) { fake in
                var environment = Backend.openai.environment(fake)
                environment["LLM_CACHE_TTL_SECONDS"] = "60"
                try await withGateway(environment: environment, redis: redis) { gateway in
                    let body = #"{"model":"gpt-test","messages":[{"role":"user","content":"Cache me."}]}"#
                    let first = try await gateway.post("/v1/chat/completions", body)
                    let second = try await gateway.post("/v1/chat/completions", body)
                    #expect(fake.calls.count == 1)
                    #expect(first.status == 200 && second.status == 200)
                    let text = { (body: String) in
                        ((jsonObject(body)["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
                    }
                    #expect(text(first.body) == FakeOpenAI.text)
                    #expect(text(second.body) == FakeOpenAI.text)
                    // A streamed request for the same thing is answered from the cache too.
                    let streamed = try await gateway.post(
                        "/v1/chat/completions", body.replacingOccurrences(of: "}]}", with: #"}],"stream":true}"#))
                    #expect(sseData(streamed.body).last == "[DONE]")
                    #expect(fake.calls.count == 1)
                    let keys = try await redis.redisCLI("--scan", "--pattern", "mesh:llm:cache:*")
                    #expect(keys.split(separator: "\n").count == 1)
                    // Only the call that reached the provider is billed.
                    #expect(try await redis.redisCLI("HGET", "mesh:llm:usage:model:gpt-test", "requests") == "1")
                }
            }
        }
    }

    @Test func badInputIsRefusedAndNothingIsCounted() async throws {
        try await RedisServer.with { redis async throws in
            try await FakeProviderServer.with(respond: { call, _ in FakeOpenAI.reply(call) }) { fake in
                try await withGateway(environment: Backend.openai.environment(fake), redis: redis) { gateway in
                    let empty = try await gateway.post("/v1/chat/completions", #"{"model":"gpt-test","messages":[]}"#)
                    #expect(empty.status == 400)
                    let emptyError = try #require(jsonObject(empty.body)["error"] as? [String: Any])
                    #expect(emptyError["type"] as? String == "invalid_request_error")
                    #expect(emptyError["param"] as? String == "messages")
                    #expect((emptyError["message"] as? String)?.contains("at least one message") == true)

                    let hot = try await gateway.post(
                        "/v1/chat/completions", #"{"messages":[{"role":"user","content":"hi"}],"temperature":7}"#)
                    #expect(hot.status == 400)
                    let hotError = try #require(jsonObject(hot.body)["error"] as? [String: Any])
                    #expect(hotError["param"] as? String == "temperature")
                    #expect((hotError["message"] as? String)?.contains("between 0 and 2, got 7") == true)

                    let notJSON = try await gateway.post("/v1/chat/completions", "{nope")
                    #expect(notJSON.status == 400)

                    let client = try await gateway.a2aClient()
                    for part in [Part.data(["messages": []]), Part.data(["messages": [["role": "user", "content": "x"]], "temperature": -1])] {
                        await #expect {
                            try await client.sendMessage(SendMessageRequest(message: generateMessage(part)))
                        } throws: { error in
                            "\(error)".contains("invalidParams") || "\(error)".contains("-32602")
                        }
                    }
                    #expect(fake.calls.isEmpty)
                    #expect(try await redis.redisCLI("--scan", "--pattern", "mesh:llm:*") == "")
                    #expect(!(try await gateway.get("/metrics")).contains("llm_tokens_total"))
                }
            }
        }
    }
}
