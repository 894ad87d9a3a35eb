import MDNS

extension MDNSDirectoryFeed {
    /// The TXT `v` this mesh speaks; a record that names another version is not ours to read.
    public static let protocolVersion = "1.0"
    /// The card path when the TXT record has no `path`.
    public static let defaultCardPath = "/.well-known/agent-card.json"

    /// The directory entry an mDNS record announces, or `nil` when its TXT `v` is present and not ``protocolVersion``.
    ///
    /// The card URL is built from the resolved address (IPv4 first, IPv6 in brackets; the host name only
    /// when nothing resolved), the port and the TXT `path`. The name is TXT `name`, else the service name.
    public static func sourcedAgent(for service: MDNSService) -> SourcedAgent? {
        if let version = service.txt["v"], version != protocolVersion { return nil }
        var path = service.txt["path"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultCardPath
        if !path.hasPrefix("/") { path = "/" + path }
        let advertisedName = service.txt["name"].flatMap { $0.isEmpty ? nil : $0 } ?? service.name
        return SourcedAgent(name: advertisedName, cardURL: "http://\(authority(of: service))\(path)")
    }

    /// `host:port` for the card URL.
    static func authority(of service: MDNSService) -> String {
        let ipv4 = service.addresses.first { !$0.contains(":") }
        let host: String
        if let ipv4 {
            host = ipv4
        } else if let ipv6 = service.addresses.first {
            host = "[\(ipv6)]"
        } else {
            // Only a name that resolved to nothing yet; the card fetcher resolves it (`vm.local` via nss-mdns).
            host = service.host
        }
        return "\(host):\(service.port)"
    }
}
