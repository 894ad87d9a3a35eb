import Foundation
import HTTPTypes
import Hummingbird
import MeshRuntime

/// The rate and monthly quota of the caller of the request being handled, checked and counted in Redis by the
/// script that stores the task (``MasterStore/submit(_:event:idempotencyKey:fingerprint:limit:)``), so every
/// master replica shares them and only tasks that are created count: not malformed requests, not refusals,
/// not replays of an `Idempotency-Key`.
struct TaskAdmission: Sendable {
    let keyPrefix: String

    /// The caller and its check; nil when nothing limits it (no authentication on this host, an agent of the
    /// mesh, or a policy without limits).
    struct Limit: Sendable {
        let principal: RequestPrincipal
        let check: RateLimitCheck
    }

    /// The limit of ``RequestPrincipal/current``.
    func limit(now: Date = Date()) -> Limit? {
        guard let principal = RequestPrincipal.current,
            let check = RateLimitCheck(
                keyPrefix: keyPrefix, subject: principal.subject, policy: principal.limits, now: now)
        else { return nil }
        return Limit(principal: principal, check: check)
    }

    /// What ``submit(_:idempotencyKey:to:)`` got: the task with its `RateLimit-*` headers, or the 429 to answer.
    enum Outcome {
        case accepted(task: MeshTask, replayed: Bool, headers: HTTPFields)
        case refused(Response)
    }

    /// Submits `submission` for the caller of the request being handled, counting it against its rate and quota.
    func submit(_ submission: TaskSubmission, idempotencyKey: String? = nil, to service: MasterService) async throws
        -> Outcome
    {
        let limit = limit()
        do {
            let (task, replayed, counted) = try await service.submit(
                submission, idempotencyKey: idempotencyKey, limit: limit?.check)
            guard let limit, case .admitted(let remaining, let used) = counted else {
                return .accepted(task: task, replayed: replayed, headers: [:])
            }
            var headers: HTTPFields = [:]
            if let remaining {
                headers[Self.limitHeader] = "\(limit.check.policy.perMinute)"
                headers[Self.remainingHeader] = "\(remaining)"
            }
            if let used { headers[Self.quotaRemainingHeader] = "\(max(0, limit.check.policy.monthlyTasks - used))" }
            return .accepted(task: task, replayed: replayed, headers: headers)
        } catch let refusal as RateLimitRefusal {
            guard let limit else { throw refusal }
            return .refused(Self.response(refusal, limit: limit))
        }
    }

    /// Why `refusal` refused a task of `limit`'s caller: the error code, the message and when to retry.
    static func explanation(_ refusal: RateLimitRefusal, limit: Limit) -> (
        code: String, message: String, retryAfter: Int
    ) {
        let who = describe(limit.principal)
        let policy = limit.check.policy
        switch refusal {
        case .overRate(let retryAfter):
            let seconds = wholeSeconds(retryAfter)
            return (
                "rate_limited", "\(who) may submit \(policy.perMinute) tasks per minute; retry in \(seconds) s", seconds
            )
        case .overQuota(let quota, let resetsAt):
            let seconds = max(1, Int(resetsAt.timeIntervalSinceNow.rounded(.up)))
            return (
                "quota_exceeded",
                "\(who) has used its monthly quota of \(quota) tasks; it renews at "
                    + ISO8601DateFormatter().string(from: resetsAt),
                seconds
            )
        }
    }

    /// The 429 of a refused task.
    static func response(_ refusal: RateLimitRefusal, limit: Limit) -> Response {
        let (code, message, seconds) = explanation(refusal, limit: limit)
        var response = MasterHTTP.error(.tooManyRequests, code, message)
        response.headers[.retryAfter] = "\(seconds)"
        switch refusal {
        case .overRate:
            response.headers[limitHeader] = "\(limit.check.policy.perMinute)"
            response.headers[remainingHeader] = "0"
        case .overQuota:
            response.headers[quotaRemainingHeader] = "0"
        }
        return response
    }

    static let limitHeader = HTTPField.Name("RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("RateLimit-Remaining")!
    static let quotaRemainingHeader = HTTPField.Name("X-Quota-Remaining")!

    /// Retry-After takes whole seconds; round up so a retry at that time finds a slot.
    static func wholeSeconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) + (attoseconds > 0 ? 1 : 0))
    }

    /// The caller as an error message names it: never the key itself.
    static func describe(_ principal: RequestPrincipal) -> String {
        switch principal.kind {
        case .apiKey: "API key '\(principal.subject.dropPrefix("key:"))'"
        case .jwt: "subject '\(principal.subject.dropPrefix("jwt:"))'"
        case .mesh: "agent '\(principal.subject.dropPrefix("agent:"))'"
        case .anonymous: "an anonymous caller"
        }
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
