import A2A
import AsyncHTTPClient
import Logging

/// A client for one A2A 1.0 agent, over the JSON-RPC or the HTTP+JSON binding.
///
/// Every request carries `A2A-Version: 1.0`. Calls throw ``A2AClientError``, or `CancellationError`
/// when the calling task is cancelled.
public struct A2AClient: Sendable {
    /// The interface this client talks to.
    public let endpoint: A2AEndpoint
    /// The card the endpoint was chosen from, if the client was made from one.
    public let card: AgentCard?
    public let configuration: A2AClientConfiguration
    let httpClient: HTTPClient
    let logger: Logger

    /// A client for an explicit interface URL and binding.
    public init(
        endpoint: A2AEndpoint, configuration: A2AClientConfiguration = .init(),
        httpClient: HTTPClient = A2AClient.defaultHTTPClient,
        logger: Logger = Logger(label: "a2a.client")
    ) throws {
        guard endpoint.binding == .jsonRPC || endpoint.binding == .httpJSON else {
            throw A2AClientError.noCompatibleInterface(offered: ["\(endpoint.binding.rawValue) \(endpoint.url)"])
        }
        _ = try WireURL(endpoint.url)
        self.init(
            validated: endpoint, card: nil, configuration: configuration, httpClient: httpClient, logger: logger)
    }

    /// A client for the most preferred interface of `card` that speaks protocol version 1.x.
    public init(
        card: AgentCard, configuration: A2AClientConfiguration = .init(),
        httpClient: HTTPClient = A2AClient.defaultHTTPClient,
        logger: Logger = Logger(label: "a2a.client")
    ) throws {
        let endpoint = try Self.chooseEndpoint(from: card, preferring: configuration.preferredBindings)
        _ = try WireURL(endpoint.url)
        self.init(
            validated: endpoint, card: card, configuration: configuration, httpClient: httpClient, logger: logger)
    }

    private init(
        validated endpoint: A2AEndpoint, card: AgentCard?, configuration: A2AClientConfiguration,
        httpClient: HTTPClient, logger: Logger
    ) {
        self.endpoint = endpoint
        self.card = card
        self.configuration = configuration
        self.httpClient = httpClient
        var logger = logger
        logger[metadataKey: "a2a.endpoint"] = "\(endpoint.url)"
        logger[metadataKey: "a2a.binding"] = "\(endpoint.binding.rawValue)"
        self.logger = logger
    }

    /// Fetches the agent card under `url` and makes a client for its preferred interface.
    ///
    /// `url` is the agent's base URL, or the full URL of its card.
    public static func connect(
        to url: String, configuration: A2AClientConfiguration = .init(),
        httpClient: HTTPClient = A2AClient.defaultHTTPClient,
        logger: Logger = Logger(label: "a2a.client")
    ) async throws -> A2AClient {
        let resolver = AgentCardResolver(configuration: configuration, httpClient: httpClient, logger: logger)
        let card = try await resolver.resolve(url)
        return try A2AClient(card: card, configuration: configuration, httpClient: httpClient, logger: logger)
    }

    /// The first interface of `card`, in the order of `bindings`, whose protocol version is supported.
    public static func chooseEndpoint(from card: AgentCard, preferring bindings: [ProtocolBinding]) throws
        -> A2AEndpoint
    {
        for binding in bindings where binding != .grpc {
            if let interface = card.interface(binding: binding) {
                return A2AEndpoint(url: interface.url, binding: binding, tenant: interface.tenant)
            }
        }
        throw A2AClientError.noCompatibleInterface(
            offered: card.supportedInterfaces.map { "\($0.protocolBinding) \($0.protocolVersion) \($0.url)" })
    }
}
