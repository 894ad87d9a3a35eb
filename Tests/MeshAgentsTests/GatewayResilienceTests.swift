import A2A
import A2AClient
import Foundation
import MeshAgents
import Testing

/// Fallback, retries that honour Retry-After, and keys kept out of errors and logs.
@Suite("llm-gateway fallback and retries")
struct GatewayResilienceTests {
    @Test func firstProviderDownFallsBackToTheNext() async throws {
        try await FakeProviderServer.with(respond: { _, _ in FakeOpenAI.unavailable }) { down in
            try await FakeProviderServer.with(respond: { call, _ in FakeBedrock.reply(call) }) { up in
                var environment = Backend.bedrock.environment(up)
                environment["LLM_PROVIDER"] = "openai:gpt-test,bedrock:\(Backend.bedrock.model)"
                environment["OPENAI_BASE_URL"] = down.baseURL
                environment["LLM_MAX_RETRIES"] = "1"
                try await withGateway(environment: environment) { gateway in
                    let (status, body) = try await gateway.post(
                        "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Say hi."}]}"#)
                    #expect(status == 200)
                    #expect(body.contains(FakeBedrock.text))
                    // One try plus one retry on the failing provider, then the fallback.
                    #expect(down.calls.count == 2)
                    #expect(up.calls.count == 1)
                    let metrics = try await gateway.get("/metrics")
                    #expect(metrics.contains(#"llm_provider_attempts_total{provider="openai",outcome="failed"} 1"#), "\(metrics)")
                }
            }
        }
    }

    @Test(arguments: ["1", "HTTP-DATE"])
    func retriesHonourRetryAfter(form: String) async throws {
        try await FakeProviderServer.with(respond: { call, index in
            guard index == 0 else { return FakeOpenAI.reply(call) }
            var retryAfter = form
            if form == "HTTP-DATE" {
                // Two seconds ahead, at whole-second precision as HTTP dates have: more than one second's wait.
                let formatter = DateFormatter()
                formatter.locale = Locale(identifier: "en_US_POSIX")
                formatter.timeZone = TimeZone(identifier: "GMT")
                formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
                retryAfter = formatter.string(from: Date().addingTimeInterval(2))
            }
            return FakeOpenAI.rateLimited(retryAfter: retryAfter)
        }) { fake in
            var environment = Backend.openai.environment(fake)
            environment["LLM_MAX_RETRIES"] = "2"
            try await withGateway(environment: environment) { gateway in
                let started = ContinuousClock.now
                let (status, _) = try await gateway.post(
                    "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Say hi."}]}"#)
                #expect(status == 200)
                #expect(fake.calls.count == 2)
                let waited = ContinuousClock.now - started
                #expect(waited >= .milliseconds(950), "waited \(waited)")
                // Only a sanity bound: the full test suite runs in parallel on two cores, so requests can be slow.
                #expect(waited < .seconds(60), "waited \(waited)")
            }
        }
    }

    @Test func everyProviderFailingIsAClearError() async throws {
        try await FakeProviderServer.with(respond: { _, _ in FakeOpenAI.rateLimited(retryAfter: "600") }) { fake in
            try await withGateway(environment: Backend.openai.environment(fake)) { gateway in
                // A Retry-After beyond the wait limit is not waited for.
                let (status, body) = try await gateway.post(
                    "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Say hi."}]}"#)
                #expect(status == 429)
                let error = try #require(jsonObject(body)["error"] as? [String: Any])
                #expect(error["type"] as? String == "rate_limit_error")
                #expect((error["message"] as? String)?.contains("openai answered HTTP 429") == true)
                #expect(fake.calls.count == 1)
            }
        }
    }

    @Test func keysNeverAppearInErrorsLogsOrTheCard() async throws {
        let key = "sk-test-SECRET-openai"
        try await FakeProviderServer.with(respond: { call, _ in
            // Providers do echo keys back; the gateway must not pass that on.
            .json(
                #"{"error":{"message":"Incorrect API key provided: \#(call.headers["authorization"] ?? "").","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"#,
                status: 401)
        }) { fake in
            let log = CapturedLog()
            try await withGateway(environment: Backend.openai.environment(fake), logger: log.logger) { gateway in
                let (status, body) = try await gateway.post(
                    "/v1/chat/completions", #"{"messages":[{"role":"user","content":"Say hi."}]}"#)
                #expect(status == 502)
                #expect(body.contains("Incorrect API key provided"))
                #expect(body.contains("<redacted>"))
                #expect(!body.contains(key))

                let client = try await gateway.a2aClient()
                let answer = try await client.sendMessage(SendMessageRequest(message: generateMessage(.text("hi"))))
                guard case .task(let task) = answer else { Issue.record("expected a task"); return }
                #expect(task.status.state == .failed)
                #expect(!"\(task)".contains(key))
                #expect(!(try await gateway.get("/.well-known/agent-card.json")).contains(key))
                #expect(log.text.contains("provider call failed"))
                #expect(!log.text.contains(key))
                #expect(fake.calls.first?.headers["authorization"] == "Bearer \(key)")
            }
        }
    }
}
