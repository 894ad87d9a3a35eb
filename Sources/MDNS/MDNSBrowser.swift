import CAvahi
import Logging

/// Browses a DNS-SD service type through avahi-daemon and resolves what it finds to host and port.
public struct MDNSBrowser: Sendable {
    /// The service type, `_a2a._tcp` by default.
    public var type: String
    /// The domain to browse; `nil` means the daemon's default (`local`).
    public var domain: String?
    private let logger: Logger

    /// A browser for `type` in `domain`.
    public init(
        type: String = "_a2a._tcp", domain: String? = nil, logger: Logger = Logger(label: "mesh.mdns.browser")
    ) {
        self.type = type
        self.domain = domain
        self.logger = logger
    }

    /// Browses while `body` runs, handing it the added and removed services as an `AsyncSequence`.
    ///
    /// The stream ends when `body` returns. Throws ``MDNSError/daemonNotRunning(reason:)`` at once when no
    /// avahi-daemon runs. After a daemon restart every known service is reported removed, then found again.
    public func withEvents<Result: Sendable>(
        _ body: (AsyncStream<MDNSBrowserEvent>) async throws -> Result
    ) async throws -> Result {
        let (stream, continuation) = AsyncStream.makeStream(of: MDNSBrowserEvent.self)
        let browsing = BrowseState(type: type, domain: domain, events: continuation, logger: logger)
        let session = try AvahiSession.start(delegate: browsing, logger: logger)
        defer {
            session.shutdown()
            continuation.finish()
        }
        return try await body(stream)
    }
}
