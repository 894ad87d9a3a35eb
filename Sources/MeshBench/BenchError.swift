/// Why a benchmark could not run.
public enum BenchError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidOption(String)
    case invalidURL(String, reason: String)
    case cannotConnect(host: String, port: Int, reason: String)
    case noResponses(String)
    /// Redis answered a setup command with an error reply.
    case redisError(step: String, message: String)

    public var description: String {
        switch self {
        case .invalidOption(let message): message
        case .invalidURL(let url, let reason): "invalid --url \(url): \(reason)"
        case .cannotConnect(let host, let port, let reason): "cannot connect to \(host):\(port): \(reason)"
        case .noResponses(let target): "no request to \(target) completed"
        case .redisError(let step, let message): "redis error while \(step): \(message)"
        }
    }
}
