import A2A

/// Settings shared by every call of an ``A2AClient``.
public struct A2AClientConfiguration: Sendable {
    /// The bindings to pick from an agent card, most preferred first.
    public var preferredBindings: [ProtocolBinding]
    /// Headers sent with every request, e.g. `Authorization`. `A2A-Version` and `Content-Type` are set by the client.
    public var headers: [(name: String, value: String)]
    /// Headers computed for each request, after ``headers``: e.g. a short-lived token that is renewed as it expires.
    public var dynamicHeaders: (@Sendable () -> [(name: String, value: String)])?
    /// How long to wait for the response head of a call. Streams may then run for as long as the agent sends.
    public var timeout: Duration
    /// The largest JSON response body the client reads.
    public var maxResponseBytes: Int

    public init(
        preferredBindings: [ProtocolBinding] = [.jsonRPC, .httpJSON],
        headers: [(name: String, value: String)] = [],
        dynamicHeaders: (@Sendable () -> [(name: String, value: String)])? = nil,
        timeout: Duration = .seconds(30),
        maxResponseBytes: Int = 16 << 20
    ) {
        self.preferredBindings = preferredBindings
        self.headers = headers
        self.dynamicHeaders = dynamicHeaders
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

extension A2AClientConfiguration {
    /// The headers of one request: the fixed ones, then the computed ones.
    func requestHeaders() -> [(name: String, value: String)] {
        guard let dynamicHeaders else { return headers }
        return headers + dynamicHeaders()
    }
}

/// One interface of an agent: the URL a binding is served at, and the tenant to send.
public struct A2AEndpoint: Sendable, Hashable {
    /// The interface URL: the JSON-RPC endpoint, or the base URL of the HTTP+JSON paths.
    public var url: String
    /// `.jsonRPC` or `.httpJSON`.
    public var binding: ProtocolBinding
    /// Put into requests that carry no tenant of their own.
    public var tenant: String?

    public init(url: String, binding: ProtocolBinding, tenant: String? = nil) {
        self.url = url
        self.binding = binding
        self.tenant = tenant
    }
}
