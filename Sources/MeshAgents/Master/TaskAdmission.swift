import Foundation
import HTTPTypes
import Hummingbird
import MeshRuntime

/// Whether the caller of the request being handled may submit one more task: its rate and monthly quota,
/// counted in Redis so that every master replica shares them.
struct TaskAdmission: Sendable {
    let limiter: TaskRateLimiter

    /// What the check decided: headers for the 202, or the 429 (or 503) to answer instead.
    enum Verdict {
        case admitted(HTTPFields)
        case refused(Response)
    }

    /// Checks ``RequestPrincipal/current``; a host without authentication has none, and nothing is limited.
    func check() async -> Verdict {
        guard let principal = RequestPrincipal.current else { return .admitted([:]) }
        let policy = principal.limits
        let decision: RateLimitDecision
        do {
            decision = try await limiter.admit(subject: principal.subject, policy: policy)
        } catch {
            return .refused(
                MasterHTTP.error(
                    .serviceUnavailable, "unavailable", "the rate limit could not be checked in Redis: \(error)"))
        }
        let who = Self.describe(principal)
        switch decision {
        case .admitted(let remaining, let used):
            var headers: HTTPFields = [:]
            if let remaining {
                headers[Self.limitHeader] = "\(policy.perMinute)"
                headers[Self.remainingHeader] = "\(remaining)"
            }
            if let used { headers[Self.quotaRemainingHeader] = "\(max(0, policy.monthlyTasks - used))" }
            return .admitted(headers)
        case .overRate(let retryAfter):
            let seconds = Self.wholeSeconds(retryAfter)
            var response = MasterHTTP.error(
                .tooManyRequests, "rate_limited",
                "\(who) may submit \(policy.perMinute) tasks per minute; retry in \(seconds) s")
            response.headers[.retryAfter] = "\(seconds)"
            response.headers[Self.limitHeader] = "\(policy.perMinute)"
            response.headers[Self.remainingHeader] = "0"
            return .refused(response)
        case .overQuota(let quota, let resetsAt):
            let seconds = max(1, Int(resetsAt.timeIntervalSinceNow.rounded(.up)))
            var response = MasterHTTP.error(
                .tooManyRequests, "quota_exceeded",
                "\(who) has used its monthly quota of \(quota) tasks; it renews at "
                    + ISO8601DateFormatter().string(from: resetsAt))
            response.headers[.retryAfter] = "\(seconds)"
            response.headers[Self.quotaRemainingHeader] = "0"
            return .refused(response)
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

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
