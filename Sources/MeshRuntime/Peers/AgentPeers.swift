import A2A
import Discovery
import Logging
import ServiceLifecycle

/// The discovery side of one agent: the directory of its peers, the services that keep that directory
/// current, and the advertiser that makes the agent itself known.
struct AgentPeers: Sendable {
    let directory: AgentDirectory
    /// What keeps the directory current: the mDNS feed, and a poller for the registry and static URLs.
    let services: [any Service]
    /// Nil when no mode advertises (static only).
    let advertiser: (any Service)?

    init(
        card: AgentCard, configuration: AgentHostConfiguration, discovery: DiscoveryConfiguration,
        boundPort: BoundPort, logger: Logger
    ) {
        var directoryLogger = logger
        directoryLogger[metadataKey: "component"] = "directory"
        directory = AgentDirectory(logger: directoryLogger)
        services = buildDirectoryServices(discovery, directory: directory)
        let advertises = discovery.modes.contains(.mdns) || discovery.modes.contains(.registry)
        advertiser =
            advertises
            ? AgentAdvertiser(
                card: card, configuration: configuration, discovery: discovery, boundPort: boundPort, logger: logger)
            : nil
    }
}
