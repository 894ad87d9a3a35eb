/// What went wrong talking to Redis, in terms a person can act on.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server answered with an error reply, e.g. `WRONGTYPE ...`.
    case server(String)
    /// AUTH was refused (`WRONGPASS`): names the user and the server.
    case authenticationFailed(user: String, server: String, reply: String)
    /// Nothing listens at the address.
    case connectionRefused(server: String)
    /// The server's certificate is not trusted by the configured CA file.
    case untrustedCertificate(server: String, caFile: String, reason: String)
    /// The server demands a client certificate and none was configured.
    case clientCertificateRequired(server: String)
    /// TLS was spoken to a plain port, or plain TCP to a TLS port.
    case protocolMismatch(server: String, detail: String)
    /// A command did not complete in time.
    case timeout(command: String, server: String)
    /// The connection closed or failed.
    case connectionClosed(server: String, reason: String)
    /// The reply could not be parsed; the connection was dropped.
    case protocolError(String)
    /// Bad configuration: names the field and the problem.
    case configuration(String)

    public var description: String {
        switch self {
        case .server(let reply): "Redis error: \(reply)"
        case .authenticationFailed(let user, let server, let reply):
            "Redis at \(server) refused user '\(user)': \(reply) (check the user name and password)"
        case .connectionRefused(let server): "Redis at \(server) refused the connection: is redis-server running there?"
        case .untrustedCertificate(let server, let caFile, let reason):
            "Redis at \(server) presented a certificate that the CA file \(caFile) does not trust: \(reason)"
        case .clientCertificateRequired(let server):
            "Redis at \(server) requires a client certificate (mutual TLS); set the TLS cert and key files"
        case .protocolMismatch(let server, let detail): "Redis at \(server): \(detail)"
        case .timeout(let command, let server): "Redis at \(server) did not answer \(command) in time"
        case .connectionClosed(let server, let reason): "Redis connection to \(server) closed: \(reason)"
        case .protocolError(let detail): "Redis protocol error: \(detail)"
        case .configuration(let detail): "Redis configuration: \(detail)"
        }
    }
}
