import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One connection to Redis over SwiftNIO, with optional TLS, AUTH and SELECT done at connect.
///
/// Many commands may be in flight at once (pipelining); replies are matched in order. A command that does not
/// answer within the command timeout fails with ``RedisError/timeout(command:server:)`` and closes the
/// connection. Blocking commands and pub/sub need a connection of their own.
public final class RedisConnection: RedisCommandRunner, Sendable {
    /// `host:port` of the server.
    public let server: String
    let channel: Channel
    /// The default per-command timeout; nil waits for ever (blocking commands).
    let commandTimeout: Duration?
    let failure: RedisConnectionFailure

    init(server: String, channel: Channel, commandTimeout: Duration?, failure: RedisConnectionFailure) {
        self.server = server
        self.channel = channel
        self.commandTimeout = commandTimeout
        self.failure = failure
    }

    /// True until the connection has closed or failed.
    public var isActive: Bool { channel.isActive }

    /// Sends one command and returns its reply; an error reply throws ``RedisError/server(_:)``.
    public func run(_ command: RedisCommand) async throws -> RESPValue {
        try await run(command, timeout: commandTimeout)
    }

    /// Sends one command with its own timeout (nil: wait as long as it takes, as `BLPOP 0` needs).
    public func run(_ command: RedisCommand, timeout: Duration?) async throws -> RESPValue {
        let reply = try await send([command], timeout: timeout)[0]
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Sends the commands in one write and returns their replies in order; error replies are values here.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        return try await send(commands, timeout: commandTimeout)
    }

    /// Closes the connection; commands still waiting fail with ``RedisError/connectionClosed(server:reason:)``.
    public func close() async {
        try? await channel.close()
    }

    /// Completes when the connection has closed, for whatever reason.
    func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }

    /// Writes the commands and flushes once; errors other than ``RedisError`` are wrapped in `connectionClosed`.
    func send(_ commands: [RedisCommand], replyCount: Int? = nil, timeout: Duration?) async throws -> [RESPValue] {
        do {
            return try await sendRaw(commands, replyCount: replyCount, timeout: timeout)
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError.connectionClosed(server: server, reason: "\(error)")
        }
    }

    /// Writes the commands and flushes once; channel errors (TLS, I/O) come back as they are.
    func sendRaw(_ commands: [RedisCommand], replyCount: Int? = nil, timeout: Duration?) async throws -> [RESPValue] {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisRequest(
            commands: commands, replyCount: replyCount, promise: promise, timeout: timeout?.timeAmount)
        let failure = self.failure
        channel.writeAndFlush(request).whenFailure { error in
            // A write to a channel that already closed only says so; report why it closed.
            promise.fail(failure.cause ?? error)
        }
        return try await promise.futureResult.get()
    }
}

extension RedisConnection {
    /// Connects, handshakes TLS when configured, then authenticates and selects the database.
    ///
    /// Failures name their cause: see ``RedisError``.
    static func connect(
        to endpoint: RedisEndpoint, sslContext: NIOSSLContext? = nil, eventLoopGroup: any EventLoopGroup,
        logger: Logger, onPush: (@Sendable (RESPValue) -> Void)? = nil
    ) async throws -> RedisConnection {
        let server = endpoint.server
        let failure = RedisConnectionFailure()
        let tlsHandler: (@Sendable () throws -> NIOSSLClientHandler)?
        if let tls = endpoint.tls {
            let context = try sslContext ?? tls.makeContext()
            let sniName = tls.sniName(host: endpoint.host)
            tlsHandler = { try NIOSSLClientHandler(context: context, serverHostname: sniName) }
        } else {
            tlsHandler = nil
        }
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(endpoint.connectTimeout.timeAmount)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tlsHandler { try pipeline.addHandler(try tlsHandler()) }
                    try pipeline.addHandler(ByteToMessageHandler(RESPDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(RESPEncoder()))
                    try pipeline.addHandler(RedisChannelHandler(server: server, recorder: failure, onPush: onPush))
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
        } catch {
            throw endpoint.connectError(error)
        }
        let connection = RedisConnection(
            server: server, channel: channel, commandTimeout: endpoint.commandTimeout, failure: failure)
        do {
            try await connection.handshake(endpoint)
        } catch {
            await connection.close()
            throw endpoint.connectError(error)
        }
        var metadata: Logger.Metadata = ["redis.server": "\(server)", "redis.tls": "\(endpoint.tls != nil)"]
        if let username = endpoint.username { metadata["redis.user"] = "\(username)" }
        logger.debug("redis connected", metadata: metadata)
        return connection
    }

    /// AUTH and SELECT (or PING) in one write, so that a bad password or protocol shows at connect.
    private func handshake(_ endpoint: RedisEndpoint) async throws {
        var commands: [RedisCommand] = []
        if let password = endpoint.password {
            var arguments: [RedisArgument] = []
            if let username = endpoint.username { arguments.append(RedisArgument(username)) }
            arguments.append(RedisArgument(password))
            commands.append(RedisCommand("AUTH", arguments))
        }
        if endpoint.database != 0 { commands.append(RedisCommand("SELECT", RedisArgument(endpoint.database))) }
        if commands.isEmpty { commands.append(RedisCommand("PING")) }
        // The connect timeout also bounds the TLS handshake: TLS sent to a plain port gets no answer at all.
        let replies = try await sendRaw(commands, timeout: endpoint.connectTimeout)
        for (command, reply) in zip(commands, replies) {
            guard case .error(let message) = reply else { continue }
            if command.name == "AUTH" || message.hasPrefix("WRONGPASS") || message.hasPrefix("NOAUTH") {
                throw RedisError.authenticationFailed(
                    user: endpoint.username ?? "default", server: server, reply: message)
            }
            throw RedisError.server(message)
        }
    }
}

extension RedisConnection {
    /// Connects to the configured server: TCP, TLS when enabled, then AUTH and SELECT.
    ///
    /// - Throws: ``RedisError`` naming the cause: `authenticationFailed`, `connectionRefused`,
    ///   `untrustedCertificate`, `clientCertificateRequired`, `protocolMismatch`, `timeout` or `configuration`.
    public static func connect(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "mesh.redis")
    ) async throws -> RedisConnection {
        try configuration.validate()
        return try await connect(to: RedisEndpoint(configuration), eventLoopGroup: eventLoopGroup, logger: logger)
    }
}

extension RedisConnection {
    /// Starts closing without waiting, from synchronous code.
    func closeSoon() {
        channel.close(mode: .all, promise: nil)
    }
}
