/// How to reach one Redis server: address, credentials, TLS, timeouts and pool size.
///
/// A plain value: build it in code, from a `redis://` or `rediss://` URL (``init(url:field:)``), or from file
/// settings overridden by environment variables (``load(url:caFile:certFile:keyFile:environment:)``).
/// Its `description` and mirror never show the password.
public struct RedisConfiguration: Sendable, Hashable {
    /// Whether and how to speak TLS.
    public enum TLS: Sendable, Hashable {
        /// Plain TCP.
        case disabled
        /// TLS, verifying the server's certificate.
        ///
        /// - Parameters:
        ///   - caFile: PEM CA bundle to trust; nil trusts the system's roots.
        ///   - certFile: PEM client certificate for mutual TLS (needs `keyFile`).
        ///   - keyFile: PEM private key of `certFile`.
        ///   - serverName: the name for SNI and certificate checks; nil uses the host unless it is an IP address.
        case enabled(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil, serverName: String? = nil)

        /// True for ``enabled(caFile:certFile:keyFile:serverName:)``.
        public var isEnabled: Bool { self != .disabled }
    }

    /// The server's host name or IP address (IPv6 without brackets).
    public var host: String
    /// The server's TCP port (the TLS port when TLS is on).
    public var port: Int
    /// The ACL user name; nil authenticates as `default` (password only), or not at all without a password.
    public var username: String?
    /// The password for AUTH. Never logged.
    public var password: String?
    /// The database number for SELECT (0 selects nothing).
    public var database: Int
    /// Plain TCP or TLS.
    public var tls: TLS
    /// How long a TCP connect plus TLS handshake and AUTH may take.
    public var connectTimeout: Duration
    /// How long a (non-blocking) command may wait for its reply.
    public var commandTimeout: Duration
    /// How many connections the pool holds at most.
    public var poolSize: Int
    /// A prefix for every key the mesh writes, e.g. `mesh:`; nil leaves keys as they are.
    public var keyPrefix: String?

    /// The default port of Redis.
    public static let defaultPort = 6379

    /// A configuration; every argument has a default suitable for a local server.
    public init(
        host: String = "127.0.0.1", port: Int = RedisConfiguration.defaultPort, username: String? = nil,
        password: String? = nil, database: Int = 0, tls: TLS = .disabled, connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(5), poolSize: Int = 8, keyPrefix: String? = nil
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.poolSize = poolSize
        self.keyPrefix = keyPrefix
    }

    /// `host:port`, with brackets around an IPv6 address, as error messages name the server.
    public var address: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The user that AUTH names: ``username``, or `default` when only a password is set.
    public var effectiveUsername: String { username ?? "default" }

    /// Checks the values against each other; the error names the field and the value.
    ///
    /// It does not look at the file system: the connection reports a missing or unreadable TLS file.
    public func validate() throws {
        guard !host.isEmpty else { throw RedisError.configuration("host is empty") }
        guard (1...65535).contains(port) else {
            throw RedisError.configuration("port '\(port)' is not a port number (1-65535)")
        }
        guard database >= 0 else { throw RedisError.configuration("database '\(database)' is negative") }
        guard poolSize >= 1 else { throw RedisError.configuration("poolSize '\(poolSize)' must be at least 1") }
        guard connectTimeout > .zero else {
            throw RedisError.configuration("connectTimeout '\(connectTimeout)' must be positive")
        }
        guard commandTimeout > .zero else {
            throw RedisError.configuration("commandTimeout '\(commandTimeout)' must be positive")
        }
        if case .enabled(_, let certFile, let keyFile, _) = tls {
            switch (certFile, keyFile) {
            case (let cert?, nil): throw RedisError.configuration("TLS cert '\(cert)' given without key")
            case (nil, let key?): throw RedisError.configuration("TLS key '\(key)' given without cert")
            default: break
            }
        }
        if username != nil, password == nil {
            throw RedisError.configuration("username '\(username ?? "")' given without password")
        }
    }
}
