import ServiceLifecycle

/// The mDNS feed for `directory` when `configuration` has `.mdns` among its modes, else `nil`.
///
/// Its cards are revalidated every `pollInterval`, like the polled sources.
public func buildMDNSDirectoryFeed(
    _ configuration: DiscoveryConfiguration, directory: AgentDirectory
) -> MDNSDirectoryFeed? {
    guard configuration.modes.contains(.mdns) else { return nil }
    return MDNSDirectoryFeed(directory: directory, revalidationInterval: configuration.pollInterval)
}

/// The services that keep `directory` current for `configuration`, for the caller's `ServiceGroup`: the mDNS
/// feed (with `.mdns`) and a ``DirectoryRefresher`` over the registry and static sources (when there are any).
///
/// The mDNS source is not handed to the refresher: the feed refreshes it itself, one refresh at a time.
public func buildDirectoryServices(
    _ configuration: DiscoveryConfiguration, directory: AgentDirectory, attributes: [String: String]? = nil
) -> [any Service] {
    var services: [any Service] = []
    if let feed = buildMDNSDirectoryFeed(configuration, directory: directory) { services.append(feed) }
    let polled = buildDirectorySources(configuration, attributes: attributes)
    if !polled.isEmpty {
        services.append(DirectoryRefresher(directory: directory, sources: polled, interval: configuration.pollInterval))
    }
    return services
}
