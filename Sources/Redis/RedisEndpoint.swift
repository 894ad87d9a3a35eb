import NIOCore
import NIOSSL

/// What one connection needs to know, taken from ``RedisConfiguration``: where, who, TLS files and timeouts.
struct RedisEndpoint: Sendable {
    struct TLS: Sendable {
        /// nil trusts the system's roots.
        var caFile: String?
        var certFile: String?
        var keyFile: String?
        var serverName: String?
    }

    var host: String
    var port: Int
    var username: String?
    var password: String?
    var database: Int
    var tls: TLS?
    var connectTimeout: Duration
    var commandTimeout: Duration?

    init(
        host: String, port: Int, username: String?, password: String?, database: Int, tls: TLS?,
        connectTimeout: Duration, commandTimeout: Duration?
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }

    /// The endpoint of a configuration.
    init(_ configuration: RedisConfiguration) {
        var tls: TLS?
        if case .enabled(let caFile, let certFile, let keyFile, let serverName) = configuration.tls {
            tls = TLS(caFile: caFile, certFile: certFile, keyFile: keyFile, serverName: serverName)
        }
        self.init(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls,
            connectTimeout: configuration.connectTimeout,
            commandTimeout: configuration.commandTimeout)
    }

    /// `host:port`, as errors name the server.
    var server: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

extension Duration {
    /// The same span as a NIO `TimeAmount`.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
