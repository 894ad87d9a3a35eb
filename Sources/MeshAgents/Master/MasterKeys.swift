import Crypto
import Foundation
import MeshRuntime

/// The master's Redis keys (DESIGN.md, "Shared memory in Redis"); a task's keys carry its id as a hash tag.
public struct MasterKeys: Sendable {
    /// The mesh's key prefix, `mesh:` by default.
    public let prefix: String

    public init(prefix: String = "mesh:") {
        self.prefix = prefix
    }

    /// Hash: `json` (the ``MeshTask``), `state`, `v` (version for compare-and-set), `dlq` (its DLQ entry id).
    public func task(_ id: String) -> String { "\(prefix)task:{\(id)}" }
    /// Stream: the task's ``MeshTaskEvent``s, field `e`.
    public func events(_ id: String) -> String { "\(prefix)task:{\(id)}:events" }
    /// Stream: one entry (`task`) per task waiting for a master; read through group ``group``.
    public var dispatch: String { "\(prefix)dispatch" }
    /// Stream: tasks that failed after every attempt, with reason and history.
    public var deadLetters: String { "\(prefix)dlq" }
    /// Channel: `"<task id> <state>"` on every change of a task.
    public var changes: String { "\(prefix)task-changes" }
    /// String: the task id (and request fingerprint) an `Idempotency-Key` was first used for.
    public func idempotency(_ key: String) -> String {
        "\(prefix)idem:" + SHA256.hash(data: Data(key.utf8)).hexString
    }

    /// The consumer group the masters share.
    public let group = "masters"
}
