import CAvahi
import Logging
import ServiceLifecycle

/// Advertises one DNS-SD service through avahi-daemon for as long as it runs.
///
/// It follows a rename when another service holds the name, registers again after avahi-daemon restarts,
/// and withdraws the service at graceful shutdown or cancellation.
public final class MDNSPublisher: Service, Sendable {
    /// The name asked for; the one in use can differ after a collision (see ``events``).
    public let name: String
    /// The service type, `_a2a._tcp` by default.
    public let type: String
    /// The port the service listens on.
    public let port: UInt16
    /// The TXT record, published in this order.
    public let txt: [(key: String, value: String)]
    /// What happens to the registration: established, renamed, withdrawn. Only one consumer.
    public let events: AsyncStream<MDNSPublisherEvent>
    private let continuation: AsyncStream<MDNSPublisherEvent>.Continuation
    private let logger: Logger

    /// A publisher for `name` on `port` with TXT `txt` (key/value pairs, in order).
    public init(
        name: String, type: String = "_a2a._tcp", port: UInt16, txt: [(key: String, value: String)] = [],
        logger: Logger = Logger(label: "mesh.mdns.publisher")
    ) {
        self.name = name
        self.type = type
        self.port = port
        self.txt = txt
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    /// Registers the service, keeps it registered until graceful shutdown, then withdraws it.
    ///
    /// Throws ``MDNSError/daemonNotRunning(reason:)`` at once when no avahi-daemon runs.
    public func run() async throws {
        let registration = PublisherRegistration(
            name: name, type: type, port: port, txt: txt, events: continuation, logger: logger)
        let session: AvahiSession
        do {
            session = try AvahiSession.start(delegate: registration, logger: logger)
        } catch {
            continuation.finish()
            throw error
        }
        logger.debug("mdns publisher started", metadata: ["name": "\(name)", "port": "\(port)"])
        // A CancellationError here also means "stop": withdraw either way.
        try? await gracefulShutdown()
        session.withLock { registration.withdraw() }
        session.shutdown()
        continuation.yield(.withdrawn)
        continuation.finish()
        logger.debug("mdns publisher withdrew", metadata: ["name": "\(registration.name)"])
    }
}
