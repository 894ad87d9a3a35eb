/// How a pool or subscriber retries connecting: exponential backoff with jitter, for a limited time.
public struct RedisReconnectPolicy: Sendable, Hashable {
    /// The first delay; each attempt doubles it.
    public var initialDelay: Duration
    /// The longest delay between two attempts.
    public var maximumDelay: Duration
    /// How long to keep trying before the last error is thrown.
    public var giveUpAfter: Duration

    /// A policy; the defaults ride out a server restart of up to half a minute.
    public init(
        initialDelay: Duration = .milliseconds(50), maximumDelay: Duration = .seconds(2),
        giveUpAfter: Duration = .seconds(30)
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.giveUpAfter = giveUpAfter
    }

    /// The delay before retry number `attempt` (1-based): half fixed, half random, so clients spread out.
    public func delay(attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let capped = min(initialDelay * (1 << exponent), maximumDelay)
        return capped * Double.random(in: 0.5...1.0)
    }
}

extension RedisError {
    /// Worth retrying: the server may be restarting or loading its data.
    ///
    /// `afterSuccess` also retries causes that a restart can mimic once a first connect has proved the
    /// configuration right (a reset mid-handshake looks like a protocol mismatch).
    func isTransient(afterSuccess: Bool) -> Bool {
        switch self {
        case .connectionRefused, .connectionClosed, .timeout: true
        case .server(let message): message.hasPrefix("LOADING")
        case .protocolMismatch, .protocolError: afterSuccess
        default: false
        }
    }

    /// The connection that produced this error cannot be trusted with another command.
    var breaksConnection: Bool {
        switch self {
        case .server: false
        default: true
        }
    }
}
