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
        guard let principal = RequestPrincipal.current, !principal.limits.isUnlimited else { return nil }
        return Limit(
            principal: principal,
            check: RateLimitCheck(keyPrefix: keyPrefix, subject: principal.subject, policy: principal.limits, now: now))
    }

    /// The `RateLimit-*` headers of an accepted task.
    static func headers(_ decision: RateLimitDecision?, policy: RateLimitPolicy) -> HTTPFields {
        guard case .admitted(let remaining, let used) = decision else { return [:] }
        var headers: HTTPFields = [:]
        if let remaining {
            headers[limitHeader] = "\(policy.perMinute)"
            headers[remainingHeader] = "\(remaining)"
        }
        if let used { headers[quotaRemainingHeader] = "\(max(0, policy.monthlyTasks - used))" }
        return headers
    }

    /// The 429 of a refused task.
    static func refusal(_ decision: RateLimitDecision, limit: Limit) -> Response {
        let who = describe(limit.principal)
        let policy = limit.check.policy
        switch decision {
        case .admitted:
            return MasterHTTP.error(.internalServerError, "internal", "an admitted task was refused")
        case .overRate(let retryAfter):
            let seconds = wholeSeconds(retryAfter)
            var response = MasterHTTP.error(
                .tooManyRequests, "rate_limited",
                "\(who) may submit \(policy.perMinute) tasks per minute; retry in \(seconds) s")
            response.headers[.retryAfter] = "\(seconds)"
            response.headers[limitHeader] = "\(policy.perMinute)"
            response.headers[remainingHeader] = "0"
            return response
        case .overQuota(let quota, let resetsAt):
            let seconds = max(1, Int(resetsAt.timeIntervalSinceNow.rounded(.up)))
            var response = MasterHTTP.error(
                .tooManyRequests, "quota_exceeded",
                "\(who) has used its monthly quota of \(quota) tasks; it renews at "
                    + ISO8601DateFormatter().string(from: resetsAt))
            response.headers[.retryAfter] = "\(seconds)"
            response.headers[quotaRemainingHeader] = "0"
            return response
        }
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

/// A task the caller's rate or quota refused; nothing was stored.
struct TaskLimited: Error {
    let decision: RateLimitDecision
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
