/// What `mesh bench a2a` runs: where to send SendMessage, how hard, and for how long.
public struct A2ABenchConfiguration: Sendable, Hashable {
    /// The agent's JSON-RPC endpoint.
    public var target: BenchTarget
    /// Connections kept open, each with one request in flight (closed loop).
    public var connections: Int
    /// Event-loop threads the generator runs on; one is enough for well over 10,000 req/s.
    public var threads: Int
    /// Seconds of load before figures are recorded.
    public var warmupSeconds: Double
    /// Seconds of measured load; ignored when `requests` is set.
    public var durationSeconds: Double
    /// When set, send exactly this many measured requests, then stop.
    public var requests: Int?
    /// The server process whose resident memory is reported before and after.
    public var serverPID: Int32?
    /// The text of the one part of every message.
    public var text: String

    public init(
        target: BenchTarget, connections: Int = 32, threads: Int = 1, warmupSeconds: Double = 2,
        durationSeconds: Double = 10, requests: Int? = nil, serverPID: Int32? = nil, text: String = "hello"
    ) {
        self.target = target
        self.connections = connections
        self.threads = threads
        self.warmupSeconds = warmupSeconds
        self.durationSeconds = durationSeconds
        self.requests = requests
        self.serverPID = serverPID
        self.text = text
    }

    /// Checks the numbers before any socket is opened.
    public func validate() throws(BenchError) {
        guard connections >= 1 else { throw .invalidOption("--connections must be at least 1") }
        guard threads >= 1, threads <= connections else {
            throw .invalidOption("--threads must be between 1 and the number of connections")
        }
        guard warmupSeconds >= 0 else { throw .invalidOption("--warmup must not be negative") }
        if let requests {
            guard requests >= 1 else { throw .invalidOption("--requests must be at least 1") }
        } else {
            guard durationSeconds > 0 else { throw .invalidOption("--duration must be positive") }
        }
    }
}
