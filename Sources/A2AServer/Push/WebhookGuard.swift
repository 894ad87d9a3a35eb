import Foundation
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a webhook URL is refused; the message names the host and what it resolves to, never the URL's credentials.
public struct WebhookRefusal: Error, Sendable, CustomStringConvertible {
    public let host: String
    public let reason: String
    /// The name did not resolve: a DNS failure may pass, so a delivery tries again rather than giving up.
    public var isTransient = false

    public init(host: String, reason: String, isTransient: Bool = false) {
        self.host = host
        self.reason = reason
        self.isTransient = isTransient
    }

    public var description: String { "webhook host '\(host)' is refused: \(reason)" }
}

/// Keeps webhooks and push notifications away from the agent's own network (SSRF): a URL must be http(s) and
/// its host must not resolve to a loopback, link-local (incl. the cloud metadata address), unspecified,
/// private, shared or multicast address, in IPv4, IPv6 or IPv4-in-IPv6 form.
///
/// Checked when a push config or webhook is set and again before every delivery attempt, since a name
/// may resolve elsewhere by then (DNS rebinding). HTTP clients resolve once more when they connect, so a
/// very fast rebinding can still slip through; allow-listing by host is the way to be exact.
///
/// Allowed anyway: everything private with ``allowPrivateNetworks``; a host in ``allowHosts``; and origins
/// ``isMeshOrigin`` accepts (the mesh's own agents). Cloud metadata names and addresses stay refused even with
/// ``allowPrivateNetworks``: only ``allowHosts`` lets a webhook reach them.
public struct WebhookGuard: Sendable {
    /// Lets webhooks reach loopback, link-local and private addresses (a local or test mesh).
    public var allowPrivateNetworks: Bool
    /// Hosts allowed whatever they resolve to: `name`, `name:port`, an address, or `*.suffix`.
    public var allowHosts: [String]
    /// True for the scheme, host and port of one of the mesh's own agents.
    public var isMeshOrigin: @Sendable (_ scheme: String, _ host: String, _ port: Int) -> Bool
    /// True for the credentials of a push config that only an agent of this mesh could have set (a valid mesh
    /// token): such a URL is the mesh's own, e.g. the master's `/result` where discovery does not list the master.
    public var isTrustedCredential: @Sendable (_ credentials: String) async -> Bool = { _ in false }
    /// Resolves a host name to its addresses; getaddrinfo on a thread pool by default.
    var resolve: @Sendable (_ host: String) async throws -> [WebhookAddress]

    public init(
        allowPrivateNetworks: Bool = false, allowHosts: [String] = [],
        isMeshOrigin: @escaping @Sendable (_ scheme: String, _ host: String, _ port: Int) -> Bool = { _, _, _ in false }
    ) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.allowHosts = allowHosts
        self.isMeshOrigin = isMeshOrigin
        self.resolve = WebhookGuard.systemResolve
    }

    /// A guard that lets webhooks reach private networks (tests and local meshes; metadata stays refused).
    public static let allowingPrivateNetworks = WebhookGuard(allowPrivateNetworks: true)

    /// Names that reach a cloud's instance metadata service.
    static let metadataNames: Set<String> = [
        "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal",
        "metadata.azure.internal",
    ]

    /// Checks `text` now: it must be an absolute http(s) URL whose host may be reached. Returns the URL.
    ///
    /// - Parameter acceptingUnresolvable: when a config is set, a name that does not resolve yet (or not from
    ///   here) is accepted: nothing can be reached through it now, and every delivery checks it again.
    @discardableResult
    ///   - credentials: the push config's `authentication.credentials`; a trusted one (``isTrustedCredential``)
    ///     opens private networks for this URL, but never cloud metadata.
    public func check(_ text: String, acceptingUnresolvable: Bool = false, credentials: String? = nil)
        async throws(WebhookRefusal) -> URL
    {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let rawHost = url.host, !rawHost.isEmpty
        else {
            throw WebhookRefusal(host: URL(string: text)?.host ?? "", reason: "the URL is not an absolute http(s) URL")
        }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        if isAllowListed(host: host, port: port) || isMeshOrigin(scheme, host, port) { return url }
        if Self.metadataNames.contains(host) {
            throw WebhookRefusal(
                host: host, reason: "it names a cloud metadata service\(Self.allowHint(metadata: true))")
        }
        var trusted = false
        if let credentials, !credentials.isEmpty { trusted = await isTrustedCredential(credentials) }
        let addresses: [WebhookAddress]
        if let literal = WebhookAddress(literal: host) {
            addresses = [literal]
        } else {
            do {
                addresses = try await resolve(host)
            } catch {
                if acceptingUnresolvable { return url }
                throw WebhookRefusal(host: host, reason: "it does not resolve (\(error))", isTransient: true)
            }
            guard !addresses.isEmpty else { throw WebhookRefusal(host: host, reason: "it resolves to no address") }
        }
        for address in addresses {
            guard let restriction = address.restriction else { continue }
            let metadata = restriction.contains("metadata")
            if !metadata, allowPrivateNetworks || trusted { continue }
            let resolved = WebhookAddress(literal: host) == nil ? "it resolves to \(address), " : "it is "
            throw WebhookRefusal(host: host, reason: "\(resolved)\(restriction)\(Self.allowHint(metadata: metadata))")
        }
        return url
    }

    /// True when `url` is one of the mesh's own agents (``isMeshOrigin``).
    public func isMeshAgent(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased(), var host = url.host?.lowercased() else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return isMeshOrigin(scheme, host, url.port ?? (scheme == "https" ? 443 : 80))
    }

    private func isAllowListed(host: String, port: Int) -> Bool {
        allowHosts.contains { entry in
            var entry = entry.lowercased()
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                // `[::1]` or `[::1]:8080`
                let address = String(entry[entry.index(after: entry.startIndex)..<close])
                let rest = entry[entry.index(after: close)...]
                return address == host && (rest.isEmpty || rest == ":\(port)")
            }
            if entry.hasPrefix("*.") { return host.hasSuffix(String(entry.dropFirst())) }
            if entry.hasSuffix(".") { entry.removeLast() }
            return entry == host || entry == "\(host):\(port)"
        }
    }

    private static func allowHint(metadata: Bool) -> String {
        metadata
            ? "; webhooks may reach it only when webhooks.allowHosts lists the host"
            : "; webhooks may not reach loopback, link-local or private networks unless webhooks.allowPrivateNetworks "
                + "is true or webhooks.allowHosts lists the host"
    }

    /// getaddrinfo, off the cooperative pool.
    static let systemResolve: @Sendable (String) async throws -> [WebhookAddress] = { host in
        try await NIOThreadPool.singleton.runIfActive { try resolveNow(host) }
    }
}

/// A failed getaddrinfo.
struct ResolutionError: Error, CustomStringConvertible {
    let code: Int32
    var description: String { String(cString: gai_strerror(code)) }
}

private func resolveNow(_ host: String) throws -> [WebhookAddress] {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
    #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #endif
    var list: UnsafeMutablePointer<addrinfo>?
    let code = getaddrinfo(host, nil, &hints, &list)
    guard code == 0 else { throw ResolutionError(code: code) }
    defer { freeaddrinfo(list) }
    var addresses: [WebhookAddress] = []
    var next = list
    while let info = next?.pointee {
        if let sockaddr = info.ai_addr {
            switch Int32(info.ai_family) {
            case AF_INET:
                sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                    var address = pointer.pointee.sin_addr
                    if let value = WebhookAddress(bytes: withUnsafeBytes(of: &address) { Array($0) }) {
                        addresses.append(value)
                    }
                }
            case AF_INET6:
                sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    var address = pointer.pointee.sin6_addr
                    if let value = WebhookAddress(bytes: withUnsafeBytes(of: &address) { Array($0) }) {
                        addresses.append(value)
                    }
                }
            default: break
            }
        }
        next = info.ai_next
    }
    return addresses
}
