import A2A
import CloudMap
import Discovery
import Foundation
import Logging
import MDNS
import ServiceLifecycle

/// Makes one agent known in its configured modes once its server listens, keeps it known, and withdraws
/// it at graceful shutdown.
///
/// mDNS publishes `_a2a._tcp` with TXT `path`, `v`, `name` and `skills`; the registry gets the attributes
/// of ``RegistryAttributes`` and a heartbeat. A missing avahi-daemon stops the agent with the command that
/// starts one, since mDNS was asked for; an unreachable registry is retried, as it may start later.
struct AgentAdvertiser: Service {
    let card: AgentCard
    let configuration: AgentHostConfiguration
    let discovery: DiscoveryConfiguration
    let boundPort: BoundPort
    let logger: Logger

    func run() async throws {
        guard let port = await boundPort.waitUnlessCancelled() else { return }
        let address = AdvertisedAddress(configuration: configuration, port: port)
        try await withThrowingDiscardingTaskGroup { group in
            if discovery.modes.contains(.mdns) {
                let publisher = MDNSPublisher(
                    name: configuration.name, port: UInt16(port),
                    txt: [
                        ("path", AdvertisedAddress.cardPath), ("v", "1.0"), ("name", card.name),
                        ("skills", card.skills.map(\.id).joined(separator: ",")),
                    ],
                    logger: logger)
                group.addTask { try await publisher.run() }
            }
            if discovery.modes.contains(.registry) {
                let client = CloudMapClient(configuration: .fromEnvironment(endpoint: discovery.registry.endpoint))
                let advertiser = RegistryAdvertiser(
                    client: client,
                    target: .named(namespace: discovery.registry.namespace, service: discovery.registry.service),
                    instanceId: address.instanceId(name: configuration.name),
                    attributes: RegistryAttributes.make(
                        card: card, host: address.host, port: address.port, cardURL: address.cardURL),
                    ttl: configuration.registryHeartbeatTTL, logger: logger)
                group.addTask { try await advertiser.run() }
            }
        }
    }
}

/// Where peers reach an agent: its public URL when configured, else its bind address, where a wildcard
/// bind (`0.0.0.0`, a container) is replaced by the machine's first non-loopback IPv4 address.
struct AdvertisedAddress: Sendable {
    static let cardPath = "/.well-known/agent-card.json"
    var host: String
    var port: Int
    var cardURL: String

    init(configuration: AgentHostConfiguration, port: Int) {
        if let advertised = configuration.advertisedHost {
            host = advertised
        } else if configuration.host == "0.0.0.0" || configuration.host == "::" {
            host = Self.firstExternalIPv4() ?? "127.0.0.1"
        } else {
            host = configuration.host
        }
        self.port = port
        // Behind a load balancer the card is reached at the public URL; the address attributes stay the
        // agent's own, as on ECS where both are registered.
        if let publicURL = configuration.publicURL {
            cardURL = (publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL) + Self.cardPath
        } else {
            let urlHost = host.contains(":") ? "[\(host)]" : host
            cardURL = "http://\(urlHost):\(port)\(Self.cardPath)"
        }
    }

    /// A Cloud Map instance id (at most 64 of `[0-9a-zA-Z_/:.@-]`) that is stable across restarts on the
    /// same address, so a restarted agent replaces its old registration instead of adding another.
    func instanceId(name: String) -> String {
        let raw = "\(name)@\(host):\(port)"
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/:.@-")
        return String(String(raw.map { allowed.contains($0) ? $0 : "-" }).prefix(64))
    }

    static func firstExternalIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let flags = Int32(entry.pointee.ifa_flags)
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET),
                flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0
            else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard inet_ntop(AF_INET, &ipv4, &text, socklen_t(INET_ADDRSTRLEN)) != nil else { continue }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }
}
