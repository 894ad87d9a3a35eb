/// What `mesh bench dispatch` measures, and against which master.
public struct DispatchBenchConfiguration: Sendable {
    /// The skill kinds the benchmark can give the worker it starts: cheap ones that need no LLM.
    public static let spawnableSkills = ["finalize", "retrieve"]

    /// A running master (`http://host:port`); nil starts redis-server, a worker and the master.
    public var masterURL: String?
    /// The skill each task asks for (`POST /task {"skill": ...}`) and the direct SendMessage exercises.
    public var skill = "finalize"
    /// The worker's JSON-RPC endpoint for the direct measurement; nil takes it from the master's `/status`
    /// and the agent's card.
    public var workerURL: String?
    /// Measured tasks on each path (ignored when `durationSeconds` is set).
    public var tasks = 2000
    /// Clients with one task in flight each, on both paths.
    public var concurrency = 16
    /// Seconds of measured load on each path instead of a number of tasks.
    public var durationSeconds: Double?
    /// Unmeasured tasks on each path first.
    public var warmupTasks = 200
    /// The text of every task.
    public var input = "Dispatch benchmark: the latency the master adds"
    /// The `mesh` binary that runs the worker and the master.
    public var meshExecutable: String
    /// The `redis-server` binary (a path, or a name looked up in PATH).
    public var redisServer = "redis-server"
    /// Rounds of the measurement, alternating which path goes first; the report gives each figure's median.
    public var rounds = 1
    /// Also start a second mesh with authentication on (an API key with a rate limit and a monthly quota, and a
    /// mesh key for the master's calls to the worker) and compare the master path on both, in alternating rounds.
    public var compareAuth = false
    /// Rounds of the comparison; each measures the master path once with authentication off and once on.
    public var authRounds = 5
    /// Seconds to wait for the started processes to answer.
    public var startTimeoutSeconds = 60.0

    public init(meshExecutable: String) {
        self.meshExecutable = meshExecutable
    }

    /// Checks the numbers and names before anything starts.
    public func validate() throws(BenchError) {
        guard concurrency >= 1 else { throw .invalidOption("--concurrency must be at least 1") }
        guard tasks >= 1 else { throw .invalidOption("--tasks must be at least 1") }
        guard warmupTasks >= 0 else { throw .invalidOption("--warmup must not be negative") }
        if let durationSeconds, !(durationSeconds > 0) { throw .invalidOption("--duration must be positive") }
        if compareAuth, masterURL != nil {
            throw .invalidOption("--auth starts its own meshes; it cannot be combined with --master")
        }
        guard rounds >= 1 else { throw .invalidOption("--rounds must be at least 1") }
        guard authRounds >= 1 else { throw .invalidOption("--auth-rounds must be at least 1") }
        if masterURL == nil, !Self.spawnableSkills.contains(skill) {
            throw .invalidOption(
                "--skill \(skill): the worker the benchmark starts serves "
                    + "\(Self.spawnableSkills.joined(separator: " or ")); use --master for other skills")
        }
        for (option, url) in [("--master", masterURL), ("--worker-url", workerURL)] {
            guard let url else { continue }
            do {
                _ = try BenchTarget(url: url)
            } catch {
                throw .invalidOption("\(option) '\(url)' is not a URL like http://127.0.0.1:8000")
            }
        }
    }
}
