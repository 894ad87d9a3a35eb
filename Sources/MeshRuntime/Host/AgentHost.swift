import A2A
import A2AServer
import Discovery
import Foundation
import Hummingbird
import Logging
import NIOCore
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
    /// The peers this agent sees, when discovery is configured; `GET /agents` answers from it.
    public let directory: AgentDirectory?
    let logger: Logger
    let boundPort: BoundPort
    /// Services that run beside the HTTP application: the directory's sources, then the advertiser.
    let peerServices: [any Service]
    let advertiser: (any Service)?

    init(
        configuration: AgentHostConfiguration, handler: A2ARequestHandler, runner: AgentRunner,
        pushSender: PushNotificationSender, router: Router<BasicRequestContext>, services: [any Service] = [],
        peers: AgentPeers? = nil, boundPort: BoundPort, logger: Logger
    ) {
        self.configuration = configuration
        self.handler = handler
        self.runner = runner
        self.pushSender = pushSender
        self.logger = logger
        self.boundPort = boundPort
        self.directory = peers?.directory
        self.peerServices = peers?.services ?? []
        self.advertiser = peers?.advertiser
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
        // Shutdown runs in reverse: the agent is withdrawn from discovery before its server stops taking
        // requests, and its directory stops last.
        let services = peerServices + [application] + (advertiser.map { [$0] } ?? [])
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch let error as IOError {
            throw AgentHostError(listening: error, host: configuration.host, port: configuration.port) ?? error
        }
    }

    /// The port the server listens on, once it does.
    public func waitUntilRunning() async -> Int {
        await boundPort.wait()
    }

    /// The port the server listens on, once it does; throws `CancellationError` if the caller is cancelled
    /// first (a server that fails to bind never reports a port, so waiters must be able to give up).
    public func runningPort() async throws -> Int {
        guard let port = await boundPort.waitUnlessCancelled() else { throw CancellationError() }
        return port
    }
}

/// Why an agent's server could not start, in words an operator can act on.
public struct AgentHostError: Error, CustomStringConvertible, Sendable {
    public let description: String

    /// The bind failures of the server's listening socket; nil for other I/O errors.
    init?(listening error: IOError, host: String, port: Int) {
        let address = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
        switch error.errnoCode {
        case EADDRINUSE:
            description = "cannot listen on \(address): the port is in use by another process"
        case EADDRNOTAVAIL:
            description = "cannot listen on \(address): no network interface of this machine has that address"
        case EACCES:
            description = "cannot listen on \(address): this user may not bind that port"
        default:
            return nil
        }
    }
}

/// The port a server bound, for callers that wait for it.
public final class BoundPort: Sendable {
    private struct State {
        var port: Int?
        var waiters: [CheckedContinuation<Int, Never>] = []
        var cancellable: [UUID: CheckedContinuation<Int?, Never>] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// Records the port and wakes everyone waiting for it.
    public func set(_ port: Int) {
        let (waiters, cancellable) = state.withLock { state in
            state.port = port
            defer {
                state.waiters = []
                state.cancellable = [:]
            }
            return (state.waiters, Array(state.cancellable.values))
        }
        for waiter in waiters { waiter.resume(returning: port) }
        for waiter in cancellable { waiter.resume(returning: port) }
    }

    /// The port once it is set, or nil if the calling task is cancelled first.
    public func waitUnlessCancelled() async -> Int? {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Int?, Never>) in
                let ready = state.withLock { state -> Int?? in
                    if let port = state.port { return .some(port) }
                    if Task.isCancelled { return .some(nil) }
                    state.cancellable[id] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.cancellable.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }

    /// The port if it is set already.
    public var current: Int? { state.withLock { $0.port } }

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
