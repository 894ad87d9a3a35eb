/// A place peers are listed: static configuration, the registry, mDNS.
public protocol DirectorySource: Sendable {
    /// The source recorded on entries it lists.
    var kind: AgentSource { get }
    /// The peers listed right now.
    func currentAgents() async throws -> [SourcedAgent]
}

/// A fixed list of card URLs (or agent base URLs), as in `mesh.yaml`.
public struct StaticSource: DirectorySource {
    public let urls: [String]
    public var kind: AgentSource { .static }

    public init(urls: [String]) { self.urls = urls }

    public func currentAgents() async throws -> [SourcedAgent] {
        urls.map { SourcedAgent(cardURL: CardFetcher.cardURL(for: $0)) }
    }
}
