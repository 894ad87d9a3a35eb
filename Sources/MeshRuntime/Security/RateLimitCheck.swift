import Crypto
import Foundation
import Redis

/// How many tasks one caller may submit: a rate per minute and a quota per calendar month (UTC).
public struct RateLimitPolicy: Sendable, Hashable {
    /// Tasks per minute, as a steady rate with a burst of a whole minute's worth; 0 means no limit.
    public var perMinute: Int
    /// Tasks per calendar month (UTC); 0 means no quota.
    public var monthlyTasks: Int

    public init(perMinute: Int = 0, monthlyTasks: Int = 0) {
        self.perMinute = perMinute
        self.monthlyTasks = monthlyTasks
    }

    /// Neither a rate nor a quota.
    public static let unlimited = RateLimitPolicy()

    /// True when neither a rate nor a quota applies, so nothing needs asking Redis.
    public var isUnlimited: Bool { perMinute <= 0 && monthlyTasks <= 0 }
}

/// What a ``RateLimitCheck`` decided.
public enum RateLimitDecision: Sendable, Equatable {
    /// Go ahead. `remaining` is how many more tasks fit in the burst right now (nil without a rate);
    /// `usedThisMonth` counts this one (nil without a quota).
    case admitted(remaining: Int?, usedThisMonth: Int?)
    /// Not now; nothing was counted.
    case refused(RateLimitRefusal)
}

/// Why a caller may not submit a task now.
public enum RateLimitRefusal: Error, Sendable, Equatable {
    /// Over the rate: try again after `retryAfter`.
    case overRate(retryAfter: Duration)
    /// The month's quota of `quota` tasks is used up until `resetsAt`.
    case overQuota(quota: Int, resetsAt: Date)
}

/// One caller's task rate and monthly quota, as a Redis script checks and counts them: the keys, the arguments,
/// the Lua that decides, and the reading of its reply. The master runs it inside the script that stores a task, so
/// a task and its count are written together or not at all, and every master replica counts against one budget.
///
/// The rate is a GCRA (generic cell rate algorithm): one key per caller holds the theoretical arrival time of the
/// next task, so a caller may burst a minute's worth of tasks and then proceeds at the steady rate. The quota is a
/// counter per caller and calendar month (UTC). Both run against Redis's clock, so replicas with skewed clocks
/// still agree; a refused request changes neither.
public struct RateLimitCheck: Sendable {
    public let policy: RateLimitPolicy
    /// The rate key and the quota key of the caller and month; both carry one hash tag.
    public let keys: [String]
    /// Milliseconds between tasks (0: no rate), burst, monthly quota (0: none), the quota key's TTL in seconds.
    public let arguments: [RedisArgument]
    /// When this month's quota renews.
    public let nextMonth: Date

    /// The check of `subject` (e.g. `key:alice`, `jwt:<sub>`) under `policy`; nil when the policy limits nothing,
    /// so that nothing needs asking Redis.
    public init?(keyPrefix: String, subject: String, policy: RateLimitPolicy, now: Date = Date()) {
        if policy.isUnlimited { return nil }
        self.policy = policy
        let month = Self.monthStart(of: now)
        nextMonth = Self.monthStart(of: month.addingTimeInterval(32 * 86_400))
        // Keys carry a digest of the subject, not the subject: key ids stay out of Redis, and odd characters
        // (braces of a JWT subject) cannot break the hash tag that keeps both keys on one cluster slot.
        let tag = Self.digest(subject)
        keys = [
            "\(keyPrefix)rate:{\(tag)}", "\(keyPrefix)quota:{\(tag)}:\(Self.monthLabel(month))",
        ]
        let interval = policy.perMinute > 0 ? max(1, 60_000 / policy.perMinute) : 0
        arguments = [
            RedisArgument(interval), RedisArgument(max(1, policy.perMinute)),
            RedisArgument(max(0, policy.monthlyTasks)),
            RedisArgument(Int(nextMonth.timeIntervalSince(now)) + 86_400),
        ]
    }

    /// Reads `{verdict, n1, n2}` as ``luaFunction`` returns it.
    public func decision(from fields: [RESPValue]) throws -> RateLimitDecision {
        guard fields.count == 3, let verdict = fields[0].string, let first = fields[1].int, let second = fields[2].int
        else {
            throw RedisError.protocolError("the rate limit check answered \(fields)")
        }
        switch verdict {
        case "ok":
            return .admitted(
                remaining: policy.perMinute > 0 ? Int(first) : nil,
                usedThisMonth: policy.monthlyTasks > 0 ? Int(second) : nil)
        case "rate": return .refused(.overRate(retryAfter: .milliseconds(first)))
        case "quota": return .refused(.overQuota(quota: policy.monthlyTasks, resetsAt: nextMonth))
        default: throw RedisError.protocolError("the rate limit check answered \(verdict)")
        }
    }

    /// `admit(rateKey, quotaKey, intervalMs, burst, quota, quotaTTL)`: the GCRA rate and the monthly quota, against
    /// Redis's clock. Returns `{'ok', remaining, used}`, `{'rate', retryMs, 0}` or `{'quota', used, 0}`; a refusal
    /// writes nothing.
    public static let luaFunction = """
        local function admit(rateKey, quotaKey, intervalArg, burstArg, quotaArg, quotaTTL)
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local interval = tonumber(intervalArg)
          local burst = tonumber(burstArg)
          local quota = tonumber(quotaArg)
          if quota > 0 then
            local used = tonumber(redis.call('GET', quotaKey) or '0')
            if used >= quota then return {'quota', used, 0} end
          end
          local remaining = 0
          local nextTat = nil
          if interval > 0 then
            local tat = tonumber(redis.call('GET', rateKey) or '0')
            if tat < now then tat = now end
            nextTat = tat + interval
            local allowAt = nextTat - burst * interval
            if allowAt > now then return {'rate', allowAt - now, 0} end
            remaining = math.floor((now - allowAt) / interval)
            redis.call('SET', rateKey, nextTat, 'PX', nextTat - now)
          end
          local used = 0
          if quota > 0 then
            used = redis.call('INCR', quotaKey)
            if used == 1 then redis.call('EXPIRE', quotaKey, quotaTTL) end
          end
          return {'ok', remaining, used}
        end
        """
}

extension RateLimitCheck {
    static func digest(_ subject: String) -> String {
        SHA256.hash(data: Data(subject.utf8)).prefix(12).hexString
    }

    static func monthStart(of date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
    }

    static func monthLabel(_ month: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: month)
        return String(format: "%04d%02d", parts.year!, parts.month!)
    }
}
