import Logging
import MDNS
import ServiceLifecycle

/// Feeds a directory from mDNS: browses `_a2a._tcp` through avahi-daemon and lists what it finds.
///
/// Every appearance or withdrawal refreshes the directory from ``source`` at once, so a new agent shows up
/// (and a vanished record leaves) without waiting for a poll. Between events the feed revalidates the cards
/// of its entries every ``revalidationInterval``, which keeps their health current.
///
/// The feed is the only thing that refreshes the directory from ``source``: give ``source`` to a
/// ``DirectoryRefresher`` as well and a poll that listed the source just before an event could undo that
/// event's refresh (a withdrawn agent would come back until the next poll).
public struct MDNSDirectoryFeed: Service {
    /// The directory the feed keeps current.
    public let directory: AgentDirectory
    /// What the browser sees right now, as `.mdns` entries keyed by card URL.
    public let source: InMemorySource
    /// The browser; its type is `_a2a._tcp` unless configured otherwise.
    public let browser: MDNSBrowser
    /// How often the cards of listed agents are revalidated when nothing is announced.
    public let revalidationInterval: Duration
    let logger: Logger

    public init(
        directory: AgentDirectory, browser: MDNSBrowser = MDNSBrowser(), revalidationInterval: Duration = .seconds(1),
        logger: Logger = Logger(label: "mesh.discovery.mdns")
    ) {
        self.directory = directory
        self.source = InMemorySource(kind: .mdns)
        self.browser = browser
        self.revalidationInterval = revalidationInterval
        self.logger = logger
    }

    /// Browses until graceful shutdown or cancellation.
    ///
    /// Throws ``MDNS/MDNSError/daemonNotRunning(reason:)`` at once when no avahi-daemon runs; its message
    /// names the command that starts one.
    public func run() async throws {
        try await browser.withEvents { events in
            // One pending request is enough: a refresh lists the source as it is when it starts, so requests
            // that arrive while one runs collapse into the next.
            let (refreshRequests, requestRefresh) = AsyncStream.makeStream(
                of: Void.self, bufferingPolicy: .bufferingNewest(1))
            await withTaskGroup(of: Void.self) { group in
                // Refreshes run one at a time: two concurrent refreshes of one source can undo each other.
                group.addTask {
                    for await _ in refreshRequests { await directory.refresh(from: source) }
                }
                group.addTask {
                    while (try? await Task.sleep(for: revalidationInterval)) != nil { requestRefresh.yield() }
                }
                var advertised = AdvertisedServices()
                for await event in events.cancelOnGracefulShutdown() {
                    if apply(event, to: &advertised) { requestRefresh.yield() }
                }
                requestRefresh.finish()
                group.cancelAll()
            }
        }
        logger.debug("mdns feed stopped")
    }

    /// Records `event` in ``source``; returns whether the listing changed.
    func apply(_ event: MDNSBrowserEvent, to advertised: inout AdvertisedServices) -> Bool {
        switch event {
        case .added(let service):
            guard let agent = Self.sourcedAgent(for: service) else {
                logger.debug(
                    "ignoring mdns record of another protocol version",
                    metadata: ["name": "\(service.name)", "v": "\(service.txt["v"] ?? "")"])
                return withdraw(service.name, from: &advertised)
            }
            if let previous = advertised.set(service.name, to: agent.cardURL) { source.remove(cardURL: previous) }
            source.add(agent)
            logger.debug("mdns agent appeared", metadata: ["name": "\(service.name)", "url": "\(agent.cardURL)"])
            return true
        case .removed(let name):
            return withdraw(name, from: &advertised)
        }
    }

    private func withdraw(_ name: String, from advertised: inout AdvertisedServices) -> Bool {
        guard let cardURL = advertised.remove(name) else { return false }
        source.remove(cardURL: cardURL)
        logger.debug("mdns agent withdrawn", metadata: ["name": "\(name)", "url": "\(cardURL)"])
        return true
    }
}

/// Which card URL each service name announced; a URL stays listed while any name still announces it.
struct AdvertisedServices {
    private var urls: [String: String] = [:]

    /// Records `name` → `cardURL`; returns the URL it no longer lists (the name's old one, if now unused).
    mutating func set(_ name: String, to cardURL: String) -> String? {
        let previous = urls.updateValue(cardURL, forKey: name)
        guard let previous, previous != cardURL, !urls.values.contains(previous) else { return nil }
        return previous
    }

    /// Forgets `name`; returns its URL when no other name still announces it.
    mutating func remove(_ name: String) -> String? {
        guard let cardURL = urls.removeValue(forKey: name), !urls.values.contains(cardURL) else { return nil }
        return cardURL
    }
}
