import Logging
import NIOCore
import NIOSSL

/// Opens connections to one endpoint, retrying transient failures with backoff and jitter.
struct RedisConnector: Sendable {
    var endpoint: RedisEndpoint
    /// Built once, so that the CA and key files are read once and their errors show at start.
    var sslContext: NIOSSLContext?
    var eventLoopGroup: any EventLoopGroup
    var reconnectPolicy: RedisReconnectPolicy
    var logger: Logger

    init(
        configuration: RedisConfiguration, reconnectPolicy: RedisReconnectPolicy, eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) throws {
        try configuration.validate()
        endpoint = RedisEndpoint(configuration)
        sslContext = try endpoint.tls?.makeContext()
        self.eventLoopGroup = eventLoopGroup
        self.reconnectPolicy = reconnectPolicy
        self.logger = logger
    }

    /// Connects, retrying while `retrying` and the error is transient, until the policy gives up or `stop()`.
    ///
    /// - Parameters:
    ///   - afterSuccess: whether a connect has worked before (then more causes count as transient).
    ///   - commandTimeout: overrides the endpoint's; `.some(nil)` waits for ever.
    func connect(
        retrying: Bool, afterSuccess: Bool, commandTimeout: Duration?? = .none,
        onPush: (@Sendable (RESPValue) -> Void)? = nil, stop: () -> Bool = { false }
    ) async throws -> RedisConnection {
        var endpoint = endpoint
        if let commandTimeout { endpoint.commandTimeout = commandTimeout }
        let deadline = ContinuousClock.now + reconnectPolicy.giveUpAfter
        var attempt = 0
        while true {
            do {
                return try await RedisConnection.connect(
                    to: endpoint, sslContext: sslContext, eventLoopGroup: eventLoopGroup, logger: logger,
                    onPush: onPush)
            } catch let error as RedisError {
                guard retrying, error.isTransient(afterSuccess: afterSuccess), ContinuousClock.now < deadline, !stop()
                else { throw error }
                attempt += 1
                let delay = reconnectPolicy.delay(attempt: attempt)
                logger.warning(
                    "redis connect failed; retrying",
                    metadata: [
                        "redis.server": "\(endpoint.server)", "redis.attempt": "\(attempt)",
                        "redis.delay": "\(delay)", "error": "\(error)",
                    ])
                try await Task.sleep(for: delay)
            }
        }
    }
}
