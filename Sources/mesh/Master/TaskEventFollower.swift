import A2AClient
import Foundation

/// Follows a task's event stream until a terminal event, resuming with `Last-Event-ID` when the connection
/// drops (the master may be restarting) with bounded, growing pauses.
struct TaskEventFollower: Sendable {
    let client: MasterClient
    let taskId: String
    /// Resumptions in a row without an event before following is given up.
    var maxAttempts = 10
    /// The first pause before resuming; the master's `retry:` field replaces it.
    var initialDelay: Duration = .milliseconds(250)
    /// The longest pause between two attempts.
    var maxDelay: Duration = .seconds(3)

    /// How following ended.
    enum Outcome: Sendable, Equatable {
        /// A terminal event of this type (completed, failed, canceled) arrived.
        case terminal(type: String)
        /// The stream ended early, but the master already holds the task's result.
        case resultReady
    }

    /// Hands each event to `onEvent` and each resumption's reason to `onResume` until the task ends.
    func follow(
        onEvent: (MasterTaskEvent) -> Void, onResume: (_ note: String) -> Void
    ) async throws -> Outcome {
        var lastEventID: String?
        var delay = initialDelay
        var failures = 0
        while true {
            let problem: String
            do {
                var terminal: MasterTaskEvent?
                let stopped = try await client.followEvents(taskId: taskId, lastEventID: lastEventID) { sse in
                    if let id = sse.id { lastEventID = id }
                    if let retry = sse.retry { delay = .milliseconds(retry) }
                    failures = 0
                    let event = MasterTaskEvent(sse)
                    onEvent(event)
                    if event.isTerminal { terminal = event }
                    return !event.isTerminal
                }
                if stopped, let terminal { return .terminal(type: terminal.type) }
                // A stream that ends without a terminal event: the task may have ended while we were away.
                if let result = try? await client.result(taskId: taskId), result.status == 200 { return .resultReady }
                problem = "the stream ended before the task did"
            } catch let error as MasterClientError where error.isTransient {
                problem = Self.shortReason(error)
            }
            failures += 1
            guard failures <= maxAttempts else {
                throw MasterClientError.eventStreamLost(taskId: taskId, attempts: maxAttempts, reason: problem)
            }
            let pause = min(maxDelay, delay * (1 << min(failures - 1, 16)))
            let position = lastEventID.map { "after event \($0)" } ?? "from the start"
            onResume(
                "event stream lost (\(problem)); resuming \(position) in \(Self.seconds(pause)) "
                    + "(attempt \(failures) of \(maxAttempts))")
            try await Task.sleep(for: pause)
        }
    }

    static func shortReason(_ error: MasterClientError) -> String {
        switch error {
        case .unreachable(_, let reason): reason
        case .http(let status, _, let message): "HTTP \(status): \(message)"
        default: error.description
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0
            ? "\(milliseconds / 1000) s" : String(format: "%.2f s", Double(milliseconds) / 1000)
    }
}
