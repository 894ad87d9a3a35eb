import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// SUBSCRIBE and PSUBSCRIBE on a connection of its own, with messages as an async sequence.
///
/// Run it in a `ServiceGroup`. When the connection drops (a server restart), it reconnects with backoff and
/// subscribes again to everything. Keyspace notifications arrive through patterns such as
/// `__keyspace@0__:*`, once the server's `notify-keyspace-events` enables them.
/// Messages published while disconnected are lost: that is how Redis pub/sub works.
public final class RedisSubscriber: Service, Sendable {
    /// Every message on any subscribed channel or pattern, in order; one consumer only. Ends after shutdown.
    public let messages: AsyncStream<RedisMessage>

    let connector: RedisConnector
    let logger: Logger
    let continuation: AsyncStream<RedisMessage>.Continuation
    let state = Mutex(SubscriberState())

    /// A subscriber; it connects when ``run()`` starts.
    ///
    /// - Throws: ``RedisError/configuration(_:)`` for invalid values or unreadable TLS files.
    public init(
        configuration: RedisConfiguration, reconnectPolicy: RedisReconnectPolicy = RedisReconnectPolicy(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "mesh.redis.subscriber")
    ) throws {
        connector = try RedisConnector(
            configuration: configuration, reconnectPolicy: reconnectPolicy, eventLoopGroup: eventLoopGroup,
            logger: logger)
        self.logger = logger
        (messages, continuation) = AsyncStream.makeStream(of: RedisMessage.self, bufferingPolicy: .unbounded)
    }

    /// Subscribes to channels; returns once the server confirmed (waiting for ``run()`` to connect if needed).
    public func subscribe(_ channels: [String]) async throws {
        try await change(.subscribe, channels)
    }

    /// Subscribes to patterns, e.g. `__keyspace@0__:mesh:*`; returns once the server confirmed.
    public func psubscribe(_ patterns: [String]) async throws {
        try await change(.psubscribe, patterns)
    }

    /// Stops listening on channels.
    public func unsubscribe(_ channels: [String]) async throws {
        try await change(.unsubscribe, channels)
    }

    /// Stops listening on patterns.
    public func punsubscribe(_ patterns: [String]) async throws {
        try await change(.punsubscribe, patterns)
    }

    /// Keeps the connection up and subscribed until graceful shutdown, then ends ``messages``.
    ///
    /// - Throws: the cause when connecting fails for good, e.g. ``RedisError/authenticationFailed(user:server:reply:)``.
    public func run() async throws {
        defer { finish() }
        try await withGracefulShutdownHandler {
            try await keepSubscribed()
        } onGracefulShutdown: {
            let connection = self.state.withLock { state in
                state.finished = true
                return state.connection
            }
            connection?.closeSoon()
        }
    }

    private func keepSubscribed() async throws {
        var connectedBefore = false
        var failures = 0
        let continuation = self.continuation
        let onPush: @Sendable (RESPValue) -> Void = { push in
            if let message = RedisMessage(push: push) { continuation.yield(message) }
        }
        while !state.withLock({ $0.finished }), !Task.isCancelled {
            if failures > 0 {
                // A connection that drops right after connecting must not turn into a busy loop.
                try? await Task.sleep(for: connector.reconnectPolicy.delay(attempt: failures))
            }
            let connection: RedisConnection
            do {
                connection = try await connector.connect(
                    retrying: true, afterSuccess: connectedBefore, onPush: onPush,
                    stop: { state.withLock { $0.finished } })
            } catch {
                // Shutting down while the server is away is not a failure.
                if state.withLock({ $0.finished }) || Task.isCancelled { return }
                throw error
            }
            connectedBefore = true
            do {
                try await resubscribe(connection)
            } catch RedisError.server(let message) {
                // Refused by the server (e.g. NOPERM for a channel): reconnecting would not help.
                await connection.close()
                throw RedisError.server(message)
            } catch {
                logger.warning("redis subscribe failed; reconnecting", metadata: ["error": "\(error)"])
                await connection.close()
                failures += 1
                continue
            }
            failures = 0
            let ready = state.withLock { $0.connected(connection) }
            guard let ready else {
                await connection.close()
                break
            }
            for waiter in ready { waiter.resume(returning: connection) }
            await withTaskCancellationHandler {
                await connection.waitUntilClosed()
            } onCancel: {
                connection.closeSoon()
            }
            let finished = state.withLock { state in
                state.connection = nil
                return state.finished
            }
            if !finished, !Task.isCancelled {
                logger.warning("redis subscriber lost its connection; reconnecting")
                failures += 1
            }
        }
    }

    /// Subscribes a fresh connection to everything wanted so far.
    private func resubscribe(_ connection: RedisConnection) async throws {
        let (channels, patterns) = state.withLock { ($0.channels, $0.patterns) }
        if !channels.isEmpty { try await send(.subscribe, Array(channels), on: connection) }
        if !patterns.isEmpty { try await send(.psubscribe, Array(patterns), on: connection) }
    }

    private func change(_ action: SubscriberState.Action, _ names: [String]) async throws {
        let names = Array(Set(names))
        guard !names.isEmpty else { return }
        state.withLock { $0.record(action, names) }
        while true {
            let connection = try await currentConnection()
            do {
                try await send(action, names, on: connection)
                return
            } catch let error as RedisError {
                // The connection dropped: the next one resubscribes to the recorded set; send again to confirm.
                guard case .connectionClosed = error else { throw error }
            }
        }
    }

    private func send(_ action: SubscriberState.Action, _ names: [String], on connection: RedisConnection) async throws
    {
        let command = RedisCommand(action.rawValue, names.map { RedisArgument($0) })
        let replies = try await connection.send([command], replyCount: names.count, timeout: connection.commandTimeout)
        for reply in replies {
            if case .error(let message) = reply { throw RedisError.server(message) }
        }
    }

    /// The connection once it is up and subscribed.
    private func currentConnection() async throws -> RedisConnection {
        let id = state.withLock { $0.makeWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let immediate: Result<RedisConnection, Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.finished {
                        return .failure(
                            RedisError.connectionClosed(
                                server: connector.endpoint.server, reason: "the subscriber is shut down"))
                    }
                    if let connection = state.connection, connection.isActive { return .success(connection) }
                    state.waiters.append((id, continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.removeWaiter(id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func finish() {
        let (waiters, connection) = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return (state.waiters.map(\.continuation), state.connection)
        }
        connection?.closeSoon()
        let error = RedisError.connectionClosed(
            server: connector.endpoint.server, reason: "the subscriber is shut down")
        for waiter in waiters { waiter.resume(throwing: error) }
        continuation.finish()
    }
}
