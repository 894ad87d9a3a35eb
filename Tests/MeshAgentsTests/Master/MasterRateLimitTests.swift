import A2A
import A2AClient
import Foundation
import MeshRuntime
import MeshTesting
import Testing

/// Rate limits and monthly quotas on `/task`, `/invocations` and A2A messages to the master, per API key, counted by the script that stores the task in the Redis
/// every master replica shares; real processes (a master and a worker) and a TLS Redis with an ACL user.
@Suite(.serialized) struct MasterRateLimitTests {
    static let burstyKey = "mk_bursty-0123456789abcdefghijklmnop"
    static let monthlyKey = "mk_monthly-0123456789abcdefghijklmno"
    static let freeKey = "mk_free-0123456789abcdefghijklmnopqrs"

    static let auth = """
        auth:
          apiKeys:
            - { id: bursty, sha256: "\(AuthSettings.APIKey.hash(of: burstyKey))", perMinute: 2 }
            - { id: monthly, sha256: "\(AuthSettings.APIKey.hash(of: monthlyKey))", monthlyTasks: 1 }
            - { id: free, sha256: "\(AuthSettings.APIKey.hash(of: freeKey))" }
          meshKey: "mesh-key-for-rate-limit-tests-0123456789"
          rateLimit: { perMinute: 0, monthlyTasks: 0 }
        """

    static func message(_ reply: MasterMesh.Reply) -> String {
        (reply.json["error"] as? [String: Any])?["message"] as? String ?? reply.text
    }

    static func code(_ reply: MasterMesh.Reply) -> String? {
        (reply.json["error"] as? [String: Any])?["code"] as? String
    }

    /// The final state of a message to the master's `orchestrate` skill sent with `key`, its status text and
    /// the `error` of its status message's metadata.
    static func a2aOutcome(_ mesh: MasterMesh, key: String, streaming: Bool) async throws
        -> (state: TaskState?, text: String, code: String?)
    {
        let client = try A2AClient(
            card: try await AgentCardResolver().resolve(mesh.masterURL),
            configuration: A2AClientConfiguration(dynamicHeaders: { [("X-API-Key", key)] }))
        let request = SendMessageRequest(
            message: Message(messageId: UUID().uuidString, role: .user, parts: [.text("What is an agent card?")]))
        var status: TaskStatus?
        if streaming {
            for try await event in try await client.sendStreamingMessage(request) {
                switch event {
                case .task(let task): status = task.status
                case .statusUpdate(let update): status = update.status
                default: break
                }
            }
        } else if case .task(let task) = try await client.sendMessage(request) {
            status = task.status
        }
        return (status?.state, status?.message?.text ?? "", status?.message?.metadata?["error"]?.stringValue)
    }

    @Test func overTheRateOrTheQuotaGets429WithRetryAfterAndChangesNothing() async throws {
        try await MasterMesh.with(
            agents: [.init(name: "master"), .init(name: "worker-b")], meshFileExtra: Self.auth
        ) { mesh in
            let input = #"{"input": "What is an agent card?", "skill": "retrieve"}"#
            let bursty = ["X-API-Key": Self.burstyKey]
            // A malformed request is refused before it is counted.
            let malformed = try await mesh.request(.POST, "/task", json: #"{"input": 42}"#, headers: bursty)
            #expect(malformed.status == 400)

            var accepted: [String] = []
            for _ in 0..<2 {
                let reply = try await mesh.request(.POST, "/task", json: input, headers: bursty)
                #expect(reply.status == 202, "\(reply.text)")
                #expect(reply.header("RateLimit-Limit") == "2")
                if let id = reply.json["id"] as? String { accepted.append(id) }
            }
            #expect(accepted.count == 2)
            let refused = try await mesh.request(.POST, "/task", json: input, headers: bursty)
            #expect(refused.status == 429, "\(refused.text)")
            #expect(Self.code(refused) == "rate_limited")
            #expect(Self.message(refused).hasPrefix("API key 'bursty' may submit 2 tasks per minute; retry in"))
            let retryAfter = Int(refused.header("Retry-After") ?? "") ?? 0
            #expect(
                retryAfter >= 1 && retryAfter <= 30, "one task every 30 s: \(refused.header("Retry-After") ?? "none")")
            #expect(refused.header("RateLimit-Remaining") == "0")
            // /invocations starts tasks too, from the same budget.
            let invocation = try await mesh.request(
                .POST, "/invocations", json: #"{"prompt": "What is an agent card?", "skill": "retrieve"}"#,
                headers: bursty)
            #expect(invocation.status == 429 && Self.code(invocation) == "rate_limited", "\(invocation.text)")
            // So does an A2A message to the master: its task is rejected, saying why, and no mesh task is created.
            let rejected = try await Self.a2aOutcome(mesh, key: Self.burstyKey, streaming: false)
            #expect(rejected.state == .rejected, "\(rejected)")
            #expect(rejected.text.hasPrefix("API key 'bursty' may submit 2 tasks per minute; retry in"), "\(rejected)")
            #expect(rejected.code == "rate_limited")

            // The quota: one task this month, then 429 until the month turns; another key is not affected.
            let monthly = ["X-API-Key": Self.monthlyKey]
            var once = monthly
            once["Idempotency-Key"] = "the-one-task-of-the-month"
            let first = try await mesh.request(.POST, "/task", json: input, headers: once)
            #expect(first.status == 202 && first.header("X-Quota-Remaining") == "0", "\(first.text)")
            // A retry with the same Idempotency-Key is the same task: answered, not counted, not refused.
            let retried = try await mesh.request(.POST, "/task", json: input, headers: once)
            #expect(retried.status == 202 && retried.header("Idempotent-Replayed") == "true", "\(retried.text)")
            #expect(retried.json["id"] as? String == first.json["id"] as? String)
            let over = try await mesh.request(.POST, "/task", json: input, headers: monthly)
            #expect(over.status == 429 && Self.code(over) == "quota_exceeded", "\(over.text)")
            #expect(Self.message(over).hasPrefix("API key 'monthly' has used its monthly quota of 1 tasks"))
            #expect((Int(over.header("Retry-After") ?? "") ?? 0) > 0)
            // A streamed message runs in the background, still as its caller: over the quota too.
            let streamed = try await Self.a2aOutcome(mesh, key: Self.monthlyKey, streaming: true)
            #expect(streamed.state == .rejected && streamed.code == "quota_exceeded", "\(streamed)")
            #expect(streamed.text.hasPrefix("API key 'monthly' has used its monthly quota of 1 tasks"), "\(streamed)")
            for _ in 0..<5 {
                let free = try await mesh.request(
                    .POST, "/task", json: input, headers: ["X-API-Key": Self.freeKey])
                #expect(free.status == 202, "\(free.text)")
            }

            // Refusals stored nothing: exactly the accepted tasks exist, and they complete.
            for id in accepted {
                let result = try await mesh.result(id, headers: bursty)
                #expect(result["state"] as? String == "completed", "\(result)")
            }
            let tasks = try await mesh.redis.redisCLI("--scan", "--pattern", "mesh:task:*")
            let taskKeys = tasks.split(separator: "\n").filter { !$0.contains(":events") }
            #expect(taskKeys.count == 2 + 1 + 5, "\(taskKeys)")
        }
    }
}
