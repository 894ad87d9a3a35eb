import Foundation
import MeshAgents
import Synchronization
import Testing

/// The gateway's per-request timeout and its concurrency limit per provider, against a slow fake provider.
@Suite struct GatewayLimitsTests {
    let request = #"{"messages":[{"role":"user","content":"Say hi."}]}"#

    @Test func aProviderSlowerThanTheTimeoutIsA504() async throws {
        try await FakeProviderServer.with(respond: { call, _ in
            var reply = FakeOpenAI.reply(call)
            reply.delay = .seconds(5)
            return reply
        }) { fake in
            var environment = Backend.openai.environment(fake)
            environment["LLM_TIMEOUT_SECONDS"] = "0.5"
            environment["LLM_MAX_RETRIES"] = "0"
            try await withGateway(environment: environment) { gateway in
                let started = ContinuousClock.now
                let (status, body) = try await gateway.post("/v1/chat/completions", request)
                let waited = ContinuousClock.now - started
                #expect(status == 504, "\(body)")
                #expect(body.contains("error"), "\(body)")
                // Well before the fake's 5 s answer; the bound is loose for a loaded machine.
                #expect(waited < .seconds(4), "waited \(waited)")
            }
        }
    }

    @Test func concurrentRequestsBeyondTheLimitWaitTheirTurn() async throws {
        try await FakeProviderServer.with(respond: { call, _ in
            var reply = FakeOpenAI.reply(call)
            reply.delay = .milliseconds(300)
            return reply
        }) { fake in
            var environment = Backend.openai.environment(fake)
            environment["LLM_CONCURRENCY"] = "2"
            try await withGateway(environment: environment) { gateway in
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for index in 0..<6 {
                        // Distinct prompts, so no answer could come from a cache.
                        let body = #"{"messages":[{"role":"user","content":"Say hi \#(index)."}]}"#
                        group.addTask { try await gateway.post("/v1/chat/completions", body).status }
                    }
                    var statuses: [Int] = []
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
                #expect(statuses == Array(repeating: 200, count: 6))
                #expect(fake.calls.count == 6)
                #expect(fake.maxInFlight == 2, "at most two calls may reach the provider at once")
            }
        }
    }
}
