import Foundation
import MeshRuntime

/// How the master dispatches: attempts, backoff, timeouts and how fast a dead master's work is taken over.
///
/// Every field has an environment variable (`MESH_MAX_ATTEMPTS`, `MESH_RETRY_BACKOFF_MS`,
/// `MESH_RETRY_BACKOFF_MAX_MS`, `MESH_STEP_TIMEOUT_SECONDS`, `MESH_CLAIM_IDLE_SECONDS`,
/// `MESH_MAX_RUNNING_TASKS`, `MESH_POLL_INTERVAL_SECONDS`, `MESH_DELIVERY`).
public struct MasterSettings: Sendable, Hashable {
    /// How a step's outcome comes back.
    public enum Delivery: String, Sendable, Hashable {
        /// `SendStreamingMessage` to agents that stream (one connection; the child task id arrives first),
        /// push notifications to `/result` for the others.
        case auto
        /// Always a non-blocking `SendMessage` with a push config pointing at `/result`.
        case push
    }

    /// Attempts per step (on different agents where there are several) before the task is dead-lettered.
    public var maxAttempts = 3
    /// The first retry's delay; it doubles per attempt, with jitter, up to ``maxBackoff``.
    public var backoff: Duration = .milliseconds(200)
    public var maxBackoff: Duration = .seconds(5)
    /// How long one step may run on an agent before it counts as failed.
    public var stepTimeout: Duration = .seconds(300)
    /// How long a dispatch entry may sit unclaimed by a live master before another takes it over; the master
    /// running a task renews its claim every third of this.
    public var claimIdle: Duration = .seconds(6)
    /// Tasks one master runs at once.
    public var maxRunningTasks = 512
    /// How often a step waiting for a push asks the agent itself (`GetTask`).
    public var pollInterval: Duration = .seconds(1)
    public var delivery: Delivery = .auto

    public init() {}

    /// The defaults with `mesh.yaml`'s `dispatch:` block applied.
    public init(_ file: DispatchSettings) {
        if let value = file.maxAttempts { maxAttempts = value }
        if let value = file.backoffMilliseconds { backoff = .milliseconds(value) }
        if let value = file.maxBackoffMilliseconds { maxBackoff = .milliseconds(value) }
        if let value = file.stepTimeoutSeconds { stepTimeout = .milliseconds(Int64(value * 1000)) }
        if let value = file.claimIdleSeconds { claimIdle = .milliseconds(Int64(value * 1000)) }
        if let value = file.delivery.flatMap(Delivery.init(rawValue:)) { delivery = value }
    }

    /// The defaults with the environment's overrides; a malformed value is an error naming the variable.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        file: DispatchSettings = DispatchSettings()
    ) throws -> MasterSettings {
        var settings = MasterSettings(file)
        func number(_ name: String, minimum: Double) throws -> Double? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Double(text), value >= minimum else {
                throw MasterError.badSetting("\(name)='\(text)': expected a number of at least \(minimum)")
            }
            return value
        }
        if let value = try number("MESH_MAX_ATTEMPTS", minimum: 1) { settings.maxAttempts = Int(value) }
        if let value = try number("MESH_RETRY_BACKOFF_MS", minimum: 0) {
            settings.backoff = .milliseconds(Int64(value))
        }
        if let value = try number("MESH_RETRY_BACKOFF_MAX_MS", minimum: 0) {
            settings.maxBackoff = .milliseconds(Int64(value))
        }
        if let value = try number("MESH_STEP_TIMEOUT_SECONDS", minimum: 0.1) {
            settings.stepTimeout = .milliseconds(Int64(value * 1000))
        }
        if let value = try number("MESH_CLAIM_IDLE_SECONDS", minimum: 0.3) {
            settings.claimIdle = .milliseconds(Int64(value * 1000))
        }
        if let value = try number("MESH_MAX_RUNNING_TASKS", minimum: 1) { settings.maxRunningTasks = Int(value) }
        if let value = try number("MESH_POLL_INTERVAL_SECONDS", minimum: 0.05) {
            settings.pollInterval = .milliseconds(Int64(value * 1000))
        }
        if let text = environment["MESH_DELIVERY"], !text.isEmpty {
            guard let delivery = Delivery(rawValue: text) else {
                throw MasterError.badSetting("MESH_DELIVERY='\(text)': expected auto or push")
            }
            settings.delivery = delivery
        }
        return settings
    }

    /// The delay before attempt `attempt + 1`: exponential with full jitter between half and all of it.
    public func delay(after attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 20)
        let base = min(backoff * (1 << exponent), maxBackoff)
        return base * Double.random(in: 0.5...1.0)
    }
}

/// Why the master cannot start or serve a request, in words for the caller.
public enum MasterError: Error, Sendable, CustomStringConvertible {
    case badSetting(String)
    case needsRedis

    public var description: String {
        switch self {
        case .badSetting(let message): message
        case .needsRedis:
            "the master keeps its tasks in Redis: configure redis.url in mesh.yaml or REDIS_URL (mesh up starts one)"
        }
    }
}
