import AsyncHTTPClient

extension A2AClient {
    /// The HTTP client used when none is given.
    ///
    /// It has the platform defaults, except that a refused connection fails the call at once instead of being
    /// retried until the deadline, so that a caller can route around a dead peer. It is never shut down.
    public static let defaultHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
