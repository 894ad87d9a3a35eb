import MeshTesting
import Redis
import Testing

/// Configurations for the fixture's servers, with short timeouts so that failures show quickly.
extension RedisServer {
    /// As the ACL user, with TLS (and the client certificate for mutual TLS) as the server's mode needs.
    func configuration(poolSize: Int = 4, commandTimeout: Duration = .seconds(5)) -> RedisConfiguration {
        RedisConfiguration(
            host: host, port: port, username: username, password: password,
            tls: usesTLS
                ? .enabled(
                    caFile: caFile, certFile: mode == .mutualTLS ? clientCertFile : nil,
                    keyFile: mode == .mutualTLS ? clientKeyFile : nil)
                : .disabled,
            connectTimeout: .seconds(3), commandTimeout: commandTimeout, poolSize: poolSize)
    }

    func connect(_ configuration: RedisConfiguration? = nil) async throws -> RedisConnection {
        try await RedisConnection.connect(configuration: configuration ?? self.configuration())
    }
}

/// A reconnect policy fast enough for tests.
let testReconnectPolicy = RedisReconnectPolicy(
    initialDelay: .milliseconds(20), maximumDelay: .milliseconds(300), giveUpAfter: .seconds(20))

/// Runs `body` against the error `operation` throws, failing when it throws nothing.
func expectRedisError(
    _ operation: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation,
    _ check: (RedisError) -> Void
) async {
    do {
        try await operation()
        Issue.record("expected a RedisError, but it succeeded", sourceLocation: sourceLocation)
    } catch let error as RedisError {
        check(error)
    } catch {
        Issue.record("expected a RedisError, got \(error)", sourceLocation: sourceLocation)
    }
}
