import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// A bounded pool of Redis connections: the shared memory's command runner.
///
/// Each command leases a connection for its duration; when all ``RedisConfiguration/poolSize`` connections
/// are busy, callers wait. A broken connection is dropped and replaced, and connecting retries with
/// exponential backoff and jitter, so the pool rides out a server restart. Run it in a `ServiceGroup`:
/// on graceful shutdown it lets leased connections finish, then closes everything.
public final class RedisConnectionPool: RedisCommandRunner, Service, Sendable {
    /// The server this pool talks to.
    public let configuration: RedisConfiguration
    /// How connecting is retried.
    public let reconnectPolicy: RedisReconnectPolicy
    /// How long a graceful shutdown waits for leased connections to come back.
    public let shutdownGracePeriod: Duration

    let connector: RedisConnector
    let logger: Logger
    let state: Mutex<PoolState>

    /// A pool; nothing connects until the first command or ``verify()``.
    ///
    /// - Throws: ``RedisError/configuration(_:)`` for invalid values or unreadable TLS files.
    public init(
        configuration: RedisConfiguration, reconnectPolicy: RedisReconnectPolicy = RedisReconnectPolicy(),
        shutdownGracePeriod: Duration = .seconds(10),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "mesh.redis.pool")
    ) throws {
        self.connector = try RedisConnector(
            configuration: configuration, reconnectPolicy: reconnectPolicy, eventLoopGroup: eventLoopGroup,
            logger: logger)
        self.configuration = configuration
        self.reconnectPolicy = reconnectPolicy
        self.shutdownGracePeriod = shutdownGracePeriod
        self.logger = logger
        self.state = Mutex(PoolState(maximum: configuration.poolSize))
    }

    /// Connects once, without retrying, and keeps the connection: call it at start to fail fast with the cause.
    public func verify() async throws {
        let (connection, _) = try await lease(retrying: false)
        release(connection, broken: false)
    }

    /// Runs one command on a pooled connection; an error reply throws ``RedisError/server(_:)``.
    ///
    /// When an idle connection turns out to have been closed by the server (a restart the pool has not
    /// noticed yet), the command is sent once more on a fresh connection. A server that closes a connection
    /// after running a command but before answering it could then run it twice; Redis does not do that
    /// short of `CLIENT KILL` or a crash at that very moment.
    public func run(_ command: RedisCommand) async throws -> RESPValue {
        try await withRetryOnStaleConnection { try await $0.run(command) }
    }

    /// Runs the commands in one write on one pooled connection; replies come back in order.
    ///
    /// Retried once on a fresh connection like ``run(_:)``.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        try await withRetryOnStaleConnection { try await $0.pipeline(commands) }
    }

    /// Leases a connection for `body`, waiting when the pool is exhausted, and returns it afterwards.
    ///
    /// Do not run blocking commands or SUBSCRIBE here: use ``withDedicatedConnection(commandTimeout:_:)``.
    public func withConnection<Result>(_ body: (RedisConnection) async throws -> Result) async throws -> Result {
        try await withConnection(reportingStale: false, body)
    }

    /// A reused connection that the server had closed: sending again on a new one is safe.
    private struct StaleConnection: Error {
        var error: RedisError
    }

    private func withRetryOnStaleConnection<Result>(
        _ body: (RedisConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await withConnection(reportingStale: true, body)
        } catch let stale as StaleConnection {
            logger.debug(
                "redis connection was stale; retrying on a new one",
                metadata: ["redis.server": "\(connector.endpoint.server)", "error": "\(stale.error)"])
            return try await withConnection(reportingStale: false, body)
        }
    }

    private func withConnection<Result>(
        reportingStale: Bool, _ body: (RedisConnection) async throws -> Result
    ) async throws -> Result {
        let (connection, reused) = try await lease(retrying: true)
        do {
            let result = try await body(connection)
            release(connection, broken: false)
            return result
        } catch {
            let redisError = error as? RedisError
            release(connection, broken: redisError?.breaksConnection ?? true)
            if reportingStale, reused, let redisError, case .connectionClosed = redisError {
                throw StaleConnection(error: redisError)
            }
            throw error
        }
    }

    /// Opens a connection outside the pool for blocking commands (`XREADGROUP BLOCK`, `BLPOP`), closed afterwards.
    ///
    /// - Parameters:
    ///   - commandTimeout: nil lets commands block as long as they ask to. Shutting the pool down closes the
    ///     connection, which ends a blocked command with ``RedisError/connectionClosed(server:reason:)``.
    ///   - retrying: whether connecting waits for the server with backoff (until the pool closes); false fails
    ///     at the first refused attempt, for callers that retry on their own and must notice shutdown.
    public func withDedicatedConnection<Result>(
        commandTimeout: Duration? = nil, retrying: Bool = true, _ body: (RedisConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connector.connect(
            retrying: retrying, afterSuccess: state.withLock { $0.everConnected },
            commandTimeout: .some(commandTimeout),
            stop: { state.withLock { $0.closed } })
        let id = state.withLock { $0.addDedicated(connection) }
        guard let id else {
            await connection.close()
            throw RedisError.connectionClosed(server: connector.endpoint.server, reason: "the pool is shut down")
        }
        defer {
            state.withLock { $0.removeDedicated(id) }
            connection.closeSoon()
        }
        return try await body(connection)
    }

    /// Waits for graceful shutdown (or cancellation), then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }

    /// Refuses new leases, fails waiters, lets leased connections finish for up to the grace period, and
    /// closes every connection, dedicated ones included.
    public func close() async {
        let (idle, waiters, dedicated) = state.withLock { $0.shutDown() }
        let error = RedisError.connectionClosed(server: connector.endpoint.server, reason: "the pool is shut down")
        for waiter in waiters { waiter.resume(throwing: error) }
        for connection in idle + dedicated { connection.closeSoon() }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitUntilDrained() }
            group.addTask { try? await Task.sleep(for: self.shutdownGracePeriod) }
            await group.next()
            group.cancelAll()
        }
        logger.debug("redis pool closed", metadata: ["redis.server": "\(connector.endpoint.server)"])
    }

    /// Connections open now: idle, leased and being opened (dedicated ones not counted).
    public var openConnections: Int { state.withLock { $0.open } }
}
