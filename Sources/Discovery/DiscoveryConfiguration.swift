import CloudMap

/// Which sources a directory merges and where they are, as in `mesh.yaml`'s `discovery` block.
public struct DiscoveryConfiguration: Sendable {
    /// Where the registry is and which Cloud Map service lists the agents.
    public struct Registry: Sendable {
        /// The endpoint; nil means AWS Cloud Map (region and credentials from the environment).
        public var endpoint: String?
        public var namespace: String
        public var service: String

        public init(
            endpoint: String? = "http://127.0.0.1:7400", namespace: String = "mesh.local", service: String = "agents"
        ) {
            self.endpoint = endpoint
            self.namespace = namespace
            self.service = service
        }
    }

    public var modes: Set<AgentSource>
    public var registry: Registry
    /// Agent base URLs or card URLs for the static source.
    public var staticURLs: [String]
    /// How often the refresher polls every source. A registry poll is one `DiscoverInstancesRevision` call
    /// unless something changed, so a short interval is cheap, and it bounds how late a new agent is seen.
    /// Cards are revalidated less often (``AgentDirectory/revalidateInterval``).
    public var pollInterval: Duration

    public init(
        modes: Set<AgentSource> = [.registry], registry: Registry = .init(), staticURLs: [String] = [],
        pollInterval: Duration = .milliseconds(250)
    ) {
        self.modes = modes
        self.registry = registry
        self.staticURLs = staticURLs
        self.pollInterval = pollInterval
    }
}

/// The poll-based sources for `configuration`: registry and static. mDNS is fed by its browser instead
/// (see ``buildMDNSDirectoryFeed(_:directory:)`` and ``buildDirectoryServices(_:directory:attributes:)``).
///
/// `attributes` narrows the registry listing with Cloud Map `QueryParameters` (e.g. one `skill.<id>=1`).
public func buildDirectorySources(
    _ configuration: DiscoveryConfiguration, attributes: [String: String]? = nil
) -> [any DirectorySource] {
    var sources: [any DirectorySource] = []
    if configuration.modes.contains(.registry) {
        let client = CloudMapClient(configuration: .fromEnvironment(endpoint: configuration.registry.endpoint))
        sources.append(
            RegistrySource(
                client: client, namespace: configuration.registry.namespace, service: configuration.registry.service,
                attributes: attributes))
    }
    if configuration.modes.contains(.static), !configuration.staticURLs.isEmpty {
        sources.append(StaticSource(urls: configuration.staticURLs))
    }
    return sources
}
