import CAvahi
import Logging

/// The service browser of one ``MDNSBrowser`` and the services it has reported.
///
/// Touched only on the Avahi poll thread or with the poll lock held, hence `@unchecked Sendable`.
final class BrowseState: AvahiSessionDelegate, @unchecked Sendable {
    let type: String
    let domain: String?
    let events: AsyncStream<MDNSBrowserEvent>.Continuation
    let logger: Logger
    var browser: OpaquePointer?
    /// For each reported name, the interface/protocol pairs it was seen on; it is removed when none is left.
    var seen: [String: Set<[Int32]>] = [:]

    init(type: String, domain: String?, events: AsyncStream<MDNSBrowserEvent>.Continuation, logger: Logger) {
        self.type = type
        self.domain = domain
        self.events = events
        self.logger = logger
    }

    func sessionDidConnect(_ client: OpaquePointer) {
        guard browser == nil else { return }
        let userdata = Unmanaged.passUnretained(self).toOpaque()
        browser = avahi_service_browser_new(
            client, Int32(AVAHI_IF_UNSPEC), Int32(AVAHI_PROTO_UNSPEC), type, domain, AvahiLookupFlags(0),
            serviceBrowserCallback, userdata)
        if browser == nil {
            logger.error(
                "avahi_service_browser_new failed",
                metadata: ["reason": "\(MDNSError.reason(avahi_client_errno(client)))"])
        }
    }

    func sessionNeedsReset() {}

    func sessionDidDisconnect() {
        browser = nil
        for name in seen.keys.sorted() { events.yield(.removed(name)) }
        seen = [:]
    }

    func resolved(_ service: MDNSService, on key: [Int32]) {
        seen[service.name, default: []].insert(key)
        events.yield(.added(service))
    }

    func vanished(_ name: String, on key: [Int32]) {
        guard var keys = seen[name] else { return }
        keys.remove(key)
        if keys.isEmpty {
            seen[name] = nil
            events.yield(.removed(name))
        } else {
            seen[name] = keys
        }
    }
}

/// New and removed services; runs on the poll thread.
private func serviceBrowserCallback(
    _ browser: OpaquePointer?, _ interface: AvahiIfIndex, _ proto: AvahiProtocol, _ event: AvahiBrowserEvent,
    _ name: UnsafePointer<CChar>?, _ type: UnsafePointer<CChar>?, _ domain: UnsafePointer<CChar>?,
    _ flags: AvahiLookupResultFlags, _ userdata: UnsafeMutableRawPointer?
) {
    guard let browser, let userdata else { return }
    let state = Unmanaged<BrowseState>.fromOpaque(userdata).takeUnretainedValue()
    switch event {
    case AVAHI_BROWSER_NEW:
        let client = avahi_service_browser_get_client(browser)
        // The resolver frees itself in its callback; the client frees any still pending at shutdown.
        // The address is asked in the family the service was found over: Avahi also publishes AAAA records
        // over IPv4 (`publish-aaaa-on-ipv4`), and an unspecified family can answer `::1` for an agent that
        // listens on 127.0.0.1 only.
        let resolver = avahi_service_resolver_new(
            client, interface, proto, name, type, domain, proto, AvahiLookupFlags(0),
            serviceResolverCallback, userdata)
        if resolver == nil {
            state.logger.warning(
                "avahi_service_resolver_new failed",
                metadata: ["name": "\(text(name))", "reason": "\(MDNSError.reason(avahi_client_errno(client)))"])
        }
    case AVAHI_BROWSER_REMOVE:
        state.vanished(text(name), on: [interface, proto])
    case AVAHI_BROWSER_FAILURE:
        let client = avahi_service_browser_get_client(browser)
        state.logger.error(
            "mdns browsing failed", metadata: ["reason": "\(MDNSError.reason(avahi_client_errno(client)))"])
    default:
        break
    }
}

/// A resolved (or unresolvable) service; runs on the poll thread.
private func serviceResolverCallback(
    _ resolver: OpaquePointer?, _ interface: AvahiIfIndex, _ proto: AvahiProtocol, _ event: AvahiResolverEvent,
    _ name: UnsafePointer<CChar>?, _ type: UnsafePointer<CChar>?, _ domain: UnsafePointer<CChar>?,
    _ host: UnsafePointer<CChar>?, _ address: UnsafePointer<AvahiAddress>?, _ port: UInt16,
    _ txt: UnsafeMutablePointer<AvahiStringList>?, _ flags: AvahiLookupResultFlags,
    _ userdata: UnsafeMutableRawPointer?
) {
    guard let resolver, let userdata else { return }
    defer { avahi_service_resolver_free(resolver) }
    let state = Unmanaged<BrowseState>.fromOpaque(userdata).takeUnretainedValue()
    guard event == AVAHI_RESOLVER_FOUND else {
        state.logger.warning("mdns service did not resolve", metadata: ["name": "\(text(name))"])
        return
    }
    var addresses: [String] = []
    if let address {
        var buffer = [CChar](repeating: 0, count: Int(AVAHI_ADDRESS_STR_MAX))
        if avahi_address_snprint(&buffer, buffer.count, address) != nil {
            addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
    let service = MDNSService(
        name: text(name), type: text(type), domain: text(domain), host: text(host), port: port,
        addresses: addresses, txt: pairs(of: txt))
    state.resolved(service, on: [interface, proto])
}

/// The TXT record's entries as key/value pairs; strings from Avahi are freed with `avahi_free`.
private func pairs(of list: UnsafeMutablePointer<AvahiStringList>?) -> [String: String] {
    var result: [String: String] = [:]
    var entry = list
    while let current = entry {
        var key: UnsafeMutablePointer<CChar>? = nil
        var value: UnsafeMutablePointer<CChar>? = nil
        var size = 0
        if avahi_string_list_get_pair(current, &key, &value, &size) == 0, let key {
            result[String(cString: key)] = value.map { String(cString: $0) } ?? ""
        }
        avahi_free(key)
        avahi_free(value)
        entry = avahi_string_list_get_next(current)
    }
    return result
}

private func text(_ pointer: UnsafePointer<CChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
}
