import A2A

/// Why an A2A client call failed.
public enum A2AClientError: Error, Sendable, CustomStringConvertible {
    /// The agent answered with an A2A error (a JSON-RPC `error` object or an HTTP+JSON `google.rpc.Status`).
    case protocolError(A2AError)
    /// The server answered with an HTTP status and a body that carries no A2A error.
    case httpStatus(code: Int, url: String, bodyExcerpt: String)
    /// No HTTP exchange happened: the connection was refused, reset or timed out.
    case transport(host: String, port: Int, reason: String)
    /// The server answered, but not with what the protocol promises (wrong media type, undecodable JSON, ...).
    case invalidResponse(url: String, reason: String)
    /// The document at the card URL is not an A2A agent card.
    case invalidAgentCard(url: String, reason: String)
    /// The agent card lists no interface with a binding and protocol version this client speaks.
    case noCompatibleInterface(offered: [String])
    /// A URL given to the client cannot be used.
    case invalidURL(String)
    /// The request cannot be sent as given (e.g. it holds a value JSON cannot carry).
    case invalidRequest(String)

    /// The A2A error the agent sent, if this is a protocol error.
    public var a2aError: A2AError? {
        if case .protocolError(let error) = self { return error }
        return nil
    }

    public var description: String {
        switch self {
        case .protocolError(let error):
            "agent error \(error.code) \(error.kind.reason ?? error.kind.rawValue): \(error.message)"
        case .httpStatus(let code, let url, let excerpt):
            excerpt.isEmpty ? "HTTP \(code) from \(url)" : "HTTP \(code) from \(url): \(excerpt)"
        case .transport(let host, let port, let reason):
            "cannot reach \(host):\(port): \(reason)"
        case .invalidResponse(let url, let reason):
            "invalid response from \(url): \(reason)"
        case .invalidAgentCard(let url, let reason):
            "no agent card at \(url): \(reason)"
        case .noCompatibleInterface(let offered):
            offered.isEmpty
                ? "the agent card lists no interfaces"
                : "no interface with a supported binding and protocol version \(A2AProtocol.version); offered: "
                    + offered.joined(separator: ", ")
        case .invalidURL(let url):
            "invalid URL '\(url)': expected http(s)://host[:port][/path]"
        case .invalidRequest(let reason):
            "invalid request: \(reason)"
        }
    }
}
