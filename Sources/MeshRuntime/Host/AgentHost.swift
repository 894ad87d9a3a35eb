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
    let application: Application<RouterResponder<BasicRequestContext>>
    let logger: Logger
    private let boundPort = BoundPort()

    init(
        configuration: AgentHostConfiguration, handler: A2ARequestHandler, runner: AgentRunner,
        pushSender: PushNotificationSender, router: Router<BasicRequestContext>, logger: Logger
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
            onServerRunning: { channel in
                port.set(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger)
    }

    /// The long-running parts, in start order (shutdown runs in reverse: the server stops first).
    public var services: [any Service] { [runner, pushSender, application] }

    /// Runs until SIGTERM or SIGINT, then shuts down gracefully.
    public func run() async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger))
        try await group.run()
    }

    /// The port the server listens on, once it does.
    public func waitUntilRunning() async -> Int {
        await boundPort.wait()
    }
}

/// The port a server bound, for callers that wait for it.
final class BoundPort: Sendable {
    private let state = Mutex<(port: Int?, waiters: [CheckedContinuation<Int, Never>])>((nil, []))

    func set(_ port: Int) {
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }

    func wait() async -> Int {
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
