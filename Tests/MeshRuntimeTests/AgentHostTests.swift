import A2A
import A2AClient
import A2AServer
import AsyncHTTPClient
import Foundation
import MeshAgents
import MeshRuntime
import NIOCore
import Testing

/// The host around every agent: `/ping`, request ids and the body limit, over live loopback sockets.
@Suite("AgentHost", .timeLimit(.minutes(1)))
struct AgentHostTests {
    @Test func pingIsHealthyWhenIdleAndBusyWhileATaskRuns() async throws {
        // The task lasts 2 x 0.6 s, so the idle -> busy -> idle stamps fall in different seconds.
        let host = makeConformanceHost(streamingTimeout: 0.6)
        try await withRunningHost(host) { base in
            let idle = try await ping(base)
            #expect(idle.status == "Healthy")
            #expect(try await ping(base) == idle, "the stamp changes only when the status does")
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await ping(base) == idle)

            let client = try await A2AClient.connect(to: base)
            let stream = try await client.sendStreamingMessage(
                SendMessageRequest(message: userMessage(scenarioID("test-resubscribe-message-id"))))
            var events = stream.makeAsyncIterator()
            let first = try #require(try await events.next())
            guard case .task = first else {
                Issue.record("the stream did not start with the task: \(first)")
                return
            }
            let busy = try await ping(base)
            #expect(busy.status == "HealthyBusy")
            #expect(busy.time_of_last_update > idle.time_of_last_update)
            #expect(try await ping(base) == busy, "the stamp stays put while the status does")

            var last = first
            while let event = try await events.next() { last = event }
            #expect(summary(last) == "status:TASK_STATE_COMPLETED")
            var settled = busy
            let idleAgain = try await eventually {
                settled = try await ping(base)
                return settled.status == "Healthy"
            }
            #expect(idleAgain, "/ping still says \(settled) after the task completed")
            #expect(settled.time_of_last_update > busy.time_of_last_update)
            #expect(try await ping(base) == settled)
        }
    }

    @Test func requestIDIsEchoedWhenGiven() async throws {
        try await withRunningHost(makeConformanceHost()) { base in
            let ping = try await rawRequest(base + "/ping", headers: [("X-Request-Id", "trace-me-42")])
            #expect(ping.header("X-Request-Id") == "trace-me-42")
            let card = try await rawRequest(
                base + "/.well-known/agent-card.json", headers: [("X-Request-Id", "card-request-7")])
            #expect(card.status == 200)
            #expect(card.header("X-Request-Id") == "card-request-7")
        }
    }

    @Test func requestIDIsGeneratedWhenAbsent() async throws {
        try await withRunningHost(makeConformanceHost()) { base in
            let first = try #require(try await rawRequest(base + "/ping").header("X-Request-Id"))
            let second = try #require(try await rawRequest(base + "/ping").header("X-Request-Id"))
            #expect(!first.isEmpty)
            #expect(first != second)
        }
    }

    @Test func errorAnswersCarryTheRequestID() async throws {
        try await withRunningHost(makeConformanceHost()) { base in
            let missing = try await rawRequest(base + "/no-such-route", headers: [("X-Request-Id", "lost-1")])
            #expect(missing.status == 404)
            #expect(missing.header("X-Request-Id") == "lost-1")
        }
    }

    @Test func oversizedRequestIDIsReplaced() async throws {
        try await withRunningHost(makeConformanceHost()) { base in
            let long = String(repeating: "x", count: 300)
            let answer = try #require(
                try await rawRequest(base + "/ping", headers: [("X-Request-Id", long)]).header("X-Request-Id"))
            #expect(answer != long)
            #expect(!answer.isEmpty)
        }
    }

    @Test(arguments: ["/", "/message:send"])
    func declaredBodyAboveTheLimitGets413NamingTheLimit(path: String) async throws {
        let host = makeConformanceHost(limits: A2ALimits(maxBodyBytes: 1024))
        try await withRunningHost(host) { base in
            let body = ByteBuffer(repeating: UInt8(ascii: "a"), count: 2048)
            let response = try await rawRequest(
                base + path, method: .POST,
                headers: [("Content-Type", "application/json"), ("A2A-Version", "1.0"), ("X-Request-Id", "big-1")],
                body: .bytes(body))
            #expect(response.status == 413)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("X-Request-Id") == "big-1")
            let error = try #require(response.json?["error"] as? [String: Any], "body: \(String(decoding: response.body, as: UTF8.self))")
            #expect(error["code"] as? Int == 413)
            let message = try #require(error["message"] as? String)
            #expect(message.contains("1024"), "the message names the limit: \(message)")
        }
    }

    @Test func streamedBodyAboveTheLimitGets413() async throws {
        // No Content-Length: the body arrives chunked, and the limit applies as it is read.
        let host = makeConformanceHost(limits: A2ALimits(maxBodyBytes: 1024))
        try await withRunningHost(host) { base in
            let (chunks, writer) = AsyncStream.makeStream(of: ByteBuffer.self)
            for _ in 0..<4 { writer.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: 512)) }
            writer.finish()
            let response = try await rawRequest(
                base + "/", method: .POST, headers: [("Content-Type", "application/json"), ("A2A-Version", "1.0")],
                body: .stream(chunks, length: .unknown))
            #expect(response.status == 413)
            let message = try #require((response.json?["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("1024"))
        }
    }

    @Test func bodyWithinTheLimitIsServed() async throws {
        let host = makeConformanceHost(limits: A2ALimits(maxBodyBytes: 1024))
        try await withRunningHost(host) { base in
            let client = try A2AClient(endpoint: A2AEndpoint(url: base, binding: .jsonRPC))
            let task = try await client.sendForTask(userMessage("plain-1", text: "small"))
            #expect(task.status.state == .completed)
        }
    }
}

/// `AgentHostConfiguration.applyEnvironment`: what the environment may change, and what it may not.
@Suite("AgentHostConfiguration", .timeLimit(.minutes(1)))
struct AgentHostConfigurationTests {
    @Test func logLevelComesFromTheEnvironmentInAnyCase() {
        var configuration = AgentHostConfiguration(name: "a", port: 0)
        configuration.applyEnvironment(["LOG_LEVEL": "DEBUG"])
        #expect(configuration.logLevel == .debug)
        configuration.applyEnvironment(["LOG_LEVEL": "trace"])
        #expect(configuration.logLevel == .trace)
    }

    @Test func unknownLogLevelLeavesTheLevelAlone() {
        var configuration = AgentHostConfiguration(name: "a", port: 0, logLevel: .warning)
        configuration.applyEnvironment(["LOG_LEVEL": "loud"])
        #expect(configuration.logLevel == .warning)
        configuration.applyEnvironment([:])
        #expect(configuration.logLevel == .warning)
    }

    @Test func agentCoreRuntimeURLBecomesThePublicURL() {
        var configuration = AgentHostConfiguration(name: "a", port: 0)
        configuration.applyEnvironment(["AGENTCORE_RUNTIME_URL": "https://runtime.example.com/agent"])
        #expect(configuration.publicURL == "https://runtime.example.com/agent")
    }

    @Test func emptyRuntimeURLIsIgnoredAndAnExplicitPublicURLWins() {
        var unset = AgentHostConfiguration(name: "a", port: 0)
        unset.applyEnvironment(["AGENTCORE_RUNTIME_URL": ""])
        #expect(unset.publicURL == nil)
        var explicit = AgentHostConfiguration(name: "a", port: 0, publicURL: "https://flag.example.com")
        explicit.applyEnvironment(["AGENTCORE_RUNTIME_URL": "https://env.example.com"])
        #expect(explicit.publicURL == "https://flag.example.com")
    }

    @Test func cardInterfacesUseTheRuntimeURL() async throws {
        let runtimeURL = "https://bedrock-agentcore.us-east-1.amazonaws.com/runtimes/arn%3Aaws%3Atest/invocations"
        var configuration = AgentHostConfiguration(name: "agentcore-test", port: 0, logLevel: .critical)
        configuration.applyEnvironment(["AGENTCORE_RUNTIME_URL": runtimeURL + "/"])
        let host = buildAgentHost(
            card: ConformanceAgent.card, executor: ConformanceAgent(), configuration: configuration)
        try await withRunningHost(host) { base in
            // Forwarding headers must not override the configured URL.
            let response = try await rawRequest(
                base + "/.well-known/agent-card.json",
                headers: [("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "proxy.example.com")])
            #expect(response.status == 200)
            let card = try AgentCardResolver.decodeCard(response.body, url: base)
            #expect(card.supportedInterfaces.count == 2)
            #expect(card.supportedInterfaces.allSatisfy { $0.url == runtimeURL }, "\(card.supportedInterfaces)")
            #expect(Set(card.supportedInterfaces.map(\.protocolBinding)) == ["JSONRPC", "HTTP+JSON"])
        }
    }

    @Test func cardInterfacesUseTheAddressTheCallerUsedWithoutAPublicURL() async throws {
        try await withRunningHost(makeConformanceHost()) { base in
            let card = try await AgentCardResolver().resolve(base)
            #expect(card.supportedInterfaces.allSatisfy { $0.url == base }, "\(card.supportedInterfaces)")
        }
    }
}
