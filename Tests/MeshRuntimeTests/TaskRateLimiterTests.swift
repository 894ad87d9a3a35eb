import Foundation
import MeshRuntime
import MeshTesting
import Redis
import Testing

/// Runs one caller's ``RateLimitCheck`` alone, the way the master's submit script runs it with a task.
struct TaskRateLimiter: Sendable {
    let redis: any RedisCommandRunner
    let keyPrefix: String

    static let script = RedisScript(
        RateLimitCheck.luaFunction + "\nreturn admit(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3], ARGV[4])")

    func admit(subject: String, policy: RateLimitPolicy, now: Date = Date()) async throws -> RateLimitDecision {
        guard let check = RateLimitCheck(keyPrefix: keyPrefix, subject: subject, policy: policy, now: now) else {
            return .admitted(remaining: nil, usedThisMonth: nil)
        }
        let reply = try await Self.script.run(on: redis, keys: check.keys, arguments: check.arguments)
        return try check.decision(from: try #require(reply.array))
    }
}

/// The per-caller task rate and monthly quota (``RateLimitCheck``), against a real redis-server with TLS and an ACL
/// user.
@Suite("Task rate limiter", .serialized)
struct TaskRateLimiterTests {
    func withLimiter(
        _ body: @escaping @Sendable (TaskRateLimiter, TaskRateLimiter, RedisServer) async throws -> Void
    ) async throws {
        try await RedisServer.with(mode: .tls) { server async throws in
            let configuration = try RedisConfiguration.load(url: server.url, caFile: server.caFile)
            // Two connections stand for two master replicas: they must share one budget.
            let first = try await RedisConnection.connect(configuration: configuration)
            let second = try await RedisConnection.connect(configuration: configuration)
            do {
                try await body(
                    TaskRateLimiter(redis: first, keyPrefix: "mesh:"),
                    TaskRateLimiter(redis: second, keyPrefix: "mesh:"),
                    server)
            } catch {
                await first.close()
                await second.close()
                throw error
            }
            await first.close()
            await second.close()
        }
    }

    @Test func aBurstOfAMinutesWorthThenRefusalWithRetryAfter() async throws {
        try await withLimiter { one, other, _ in
            let policy = RateLimitPolicy(perMinute: 6)
            var admitted = 0
            for index in 0..<6 {
                // Alternate replicas: the budget is shared through Redis.
                let decision = try await (index.isMultiple(of: 2) ? one : other).admit(subject: "key:a", policy: policy)
                if case .admitted(let remaining, let used) = decision {
                    admitted += 1
                    #expect(remaining == 5 - index)
                    #expect(used == nil)
                }
            }
            #expect(admitted == 6)
            let refused = try await one.admit(subject: "key:a", policy: policy)
            guard case .refused(.overRate(let retryAfter)) = refused else {
                Issue.record("the seventh task in a minute was \(refused)")
                return
            }
            // One task every 10 s: the next slot is at most 10 s away.
            #expect(retryAfter > .zero && retryAfter <= .seconds(10))
            // Another caller has a budget of its own.
            #expect(
                try await other.admit(subject: "key:b", policy: policy) == .admitted(remaining: 5, usedThisMonth: nil))
        }
    }

    @Test func theRateRecoversAtTheSteadyRate() async throws {
        try await withLimiter { one, _, _ in
            // 600 per minute: one every 100 ms after a burst of 600. Use the burst up (slots refill meanwhile, so
            // count until the first refusal), then wait the Retry-After for exactly one more.
            let policy = RateLimitPolicy(perMinute: 600)
            var refusal: Duration?
            for _ in 0..<1200 {
                if case .refused(.overRate(let retryAfter)) = try await one.admit(subject: "key:fast", policy: policy) {
                    refusal = retryAfter
                    break
                }
            }
            let retryAfter = try #require(refusal, "the burst of 600 never ran out in 1,200 tasks")
            #expect(retryAfter <= .milliseconds(100))
            try await Task.sleep(for: retryAfter + .milliseconds(5))
            guard case .admitted = try await one.admit(subject: "key:fast", policy: policy) else {
                Issue.record("no slot after waiting the Retry-After")
                return
            }
        }
    }

    @Test func theMonthlyQuotaCountsAdmittedTasksOnly() async throws {
        try await withLimiter { one, other, server in
            let policy = RateLimitPolicy(perMinute: 2, monthlyTasks: 3)
            #expect(try await one.admit(subject: "jwt:u", policy: policy) == .admitted(remaining: 1, usedThisMonth: 1))
            #expect(
                try await other.admit(subject: "jwt:u", policy: policy) == .admitted(remaining: 0, usedThisMonth: 2))
            // Over the rate: refused, and the refusal does not use quota.
            guard case .refused(.overRate) = try await one.admit(subject: "jwt:u", policy: policy) else {
                Issue.record("the third task within the burst of 2 was admitted")
                return
            }
            let keys = try await server.redisCLI("--scan", "--pattern", "mesh:quota:*")
            let quotaKey = try #require(keys.split(separator: "\n").first.map(String.init))
            #expect(try await server.redisCLI("GET", quotaKey) == "2")
            let ttl = Int(try await server.redisCLI("TTL", quotaKey)) ?? 0
            #expect(ttl > 86_400 && ttl <= 33 * 86_400)
            // No rate, the same quota: one more fits, then the quota refuses until next month.
            let roomy = RateLimitPolicy(perMinute: 0, monthlyTasks: 3)
            #expect(try await one.admit(subject: "jwt:u", policy: roomy) == .admitted(remaining: nil, usedThisMonth: 3))
            let now = Date()
            guard
                case .refused(.overQuota(let quota, let resetsAt)) = try await other.admit(
                    subject: "jwt:u", policy: roomy, now: now)
            else {
                Issue.record("the fourth task of a quota of 3 was admitted")
                return
            }
            #expect(quota == 3)
            #expect(resetsAt > now && resetsAt.timeIntervalSince(now) <= 31 * 86_400)
            #expect(try await server.redisCLI("GET", quotaKey) == "3")
        }
    }

    @Test func noPolicyAsksNothing() {
        // An unlimited policy makes no check at all: the submit script then touches no rate or quota key.
        #expect(RateLimitCheck(keyPrefix: "mesh:", subject: "anonymous", policy: .unlimited) == nil)
        #expect(RateLimitCheck(keyPrefix: "mesh:", subject: "key:a", policy: RateLimitPolicy(monthlyTasks: 1)) != nil)
    }
}
