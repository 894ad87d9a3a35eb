import A2A
import A2AServer
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// One agent as a running process: its HTTP server, executor runner and push sender, in one
/// `ServiceGroup` that shuts down gracefully on SIGTERM and SIGINT.
public final class AgentHost: Sendable {
    public let configuration: AgentHostConfiguration
    public let handler: A2ARequestHandler
    public let runner: AgentRunner
    public let pushSender: PushNotificationSender
    /// The HTTP application; the runner and push sender run as its services.
    public let application: Application<RouterResponder<BasicRequestContext>>
    let logger: Logger
    private let boundPort = BoundPort()

    init(
        configuration: AgentHostConfiguration, handler: A2ARequestHandler, runner: AgentRunner,
        pushSender: PushNotificationSender, router: Router<BasicRequestContext>, services: [any Service] = [],
        logger: Logger
    ) {
        self.configuration = configuration
        self.handler = handler
        self.runner = runner
        self.pushSender = pushSender
        self.logger = logger
        let port = boundPort
        application = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: configuration.name),
            // Dependencies first: shutdown runs in reverse, so the Redis pool closes last.
            services: services + [runner, pushSender],
            onServerRunning: { channel in
                port.set(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger)
    }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully: the server stops taking requests,
    /// running tasks finish, and pending push notifications go out.
    public func run() async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: application)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    /// The port the server listens on, once it does.
    public func waitUntilRunning() async -> Int {
        await boundPort.wait()
    }
}

/// The port a server bound, for callers that wait for it.
public final class BoundPort: Sendable {
    private let state = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    public init() {}

    /// Records the port and wakes everyone waiting for it.
    public func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    /// The port, once it is set.
    public func wait() async -> Int {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
