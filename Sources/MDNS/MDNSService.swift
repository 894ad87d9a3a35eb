/// A DNS-SD service found on the network, resolved to its host and port.
public struct MDNSService: Sendable, Hashable {
    /// The service instance name, for example `worker-a`.
    public var name: String
    /// The service type, for example `_a2a._tcp`.
    public var type: String
    /// The domain it was found in, usually `local`.
    public var domain: String
    /// The host name it runs on, for example `vm.local`.
    public var host: String
    /// The port it listens on.
    public var port: UInt16
    /// The addresses the host name resolved to, as text (`127.0.0.1`).
    public var addresses: [String]
    /// The TXT record as key/value pairs; a key without `=` has an empty value.
    public var txt: [String: String]

    public init(
        name: String, type: String, domain: String, host: String, port: UInt16, addresses: [String],
        txt: [String: String]
    ) {
        self.name = name
        self.type = type
        self.domain = domain
        self.host = host
        self.port = port
        self.addresses = addresses
        self.txt = txt
    }
}

/// A change that an ``MDNSBrowser`` saw.
public enum MDNSBrowserEvent: Sendable, Hashable {
    /// A service appeared, or its record changed.
    case added(MDNSService)
    /// The service with this name was withdrawn or vanished.
    case removed(String)
}

/// What happened to an ``MDNSPublisher``'s registration.
public enum MDNSPublisherEvent: Sendable, Hashable {
    /// The daemon announced the service under this name.
    case established(name: String)
    /// Another service held the name, so the publisher took the next alternative name.
    case renamed(from: String, to: String)
    /// avahi-daemon went away; the publisher registers again when it is back.
    case disconnected
    /// Registration failed; the text is Avahi's reason.
    case failed(String)
    /// The service was withdrawn at shutdown.
    case withdrawn
}
