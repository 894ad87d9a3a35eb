import Foundation
import Synchronization

/// What `<state-dir>/up.json` says about a running (or stopped) `mesh up`, for other commands and tests.
///
/// It holds the Redis password, so it is written with mode 0600.
struct UpStateFile: Codable, Sendable {
    /// One process `mesh up` runs.
    struct Process: Codable, Sendable {
        /// `worker-b#2`, `registry`, `redis`.
        var name: String
        /// The agent it runs (`worker-b`); nil for Redis and the registry.
        var agent: String?
        /// 1 for the first replica.
        var replica: Int?
        /// The base URL (agents, registry) or the redacted Redis URL.
        var url: String
        /// The current pid; nil while it is restarting or after shutdown.
        var pid: Int32?
        /// Whether it has answered since it last started.
        var ready: Bool
        /// Skill ids from its agent file.
        var skills: [String]?
        /// How it was started, so a later `mesh up` can recognise it if this one died without stopping it.
        var command: [String]
    }

    /// Where the shared memory is.
    struct Redis: Codable, Sendable {
        /// The connection URL with the ACL user and password.
        var url: String
        /// The CA that verifies the server, when TLS is on.
        var caFile: String?
        /// True when `mesh up` started this redis-server.
        var managed: Bool
    }

    /// `starting`, `running` (every agent answered once), `stopping` or `stopped`.
    var status: String
    /// The pid of `mesh up` itself.
    var pid: Int32
    /// The mesh file, absolute.
    var config: String
    /// The state directory, absolute.
    var stateDir: String
    var startedAt: String
    var stoppedAt: String?
    var redis: Redis
    /// Redis, the registry and every agent instance, in start order.
    var processes: [Process]

    /// The agent instances only.
    var agents: [Process] { processes.filter { $0.agent != nil } }
}

/// The live copy of `up.json`: every change is written through at once.
final class UpStatus: Sendable {
    let path: String
    private let state: Mutex<UpStateFile>

    init(path: String, initial: UpStateFile) {
        self.path = path
        state = Mutex(initial)
    }

    /// The current contents.
    var snapshot: UpStateFile { state.withLock { $0 } }

    /// Changes the contents and writes the file; a failed write is reported once per call, never fatal.
    @discardableResult
    func update(_ change: (inout UpStateFile) -> Void) -> Error? {
        state.withLock { file in
            change(&file)
            do {
                try Self.write(file, to: path)
                return nil
            } catch {
                return error
            }
        }
    }

    /// Records the pid of process `name` (nil: not running), which also clears its readiness.
    func setPid(_ pid: Int32?, of name: String) {
        update { file in
            guard let index = file.processes.firstIndex(where: { $0.name == name }) else { return }
            file.processes[index].pid = pid
            file.processes[index].ready = false
        }
    }

    /// Records that process `name` answered.
    func setReady(_ name: String) {
        update { file in
            guard let index = file.processes.firstIndex(where: { $0.name == name }) else { return }
            file.processes[index].ready = true
        }
    }

    /// Reads an `up.json`; nil when there is none or it cannot be parsed.
    static func read(_ path: String) -> UpStateFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(UpStateFile.self, from: data)
    }

    /// Writes through a temporary file and a rename, so readers never see half a file.
    static func write(_ file: UpStateFile, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(file)
        try writePrivateFile(data, to: path)
    }
}

/// Writes `data` to `path` with mode 0600, replacing the file atomically.
func writePrivateFile(_ data: Data, to path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
    else { throw UpFailure("cannot write \(temporary)") }
    guard rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw UpFailure("cannot replace \(path): \(reason)")
    }
}

/// The current time as ISO 8601, as `up.json` records it.
func timestamp(_ date: Date = Date()) -> String {
    ISO8601DateFormatter().string(from: date)
}

/// Why `mesh up` cannot go on, said in one line.
struct UpFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) {
        self.description = description
    }
}
