import A2A
import Foundation

/// Where a directory entry came from.
public enum AgentSource: String, Sendable, Hashable, Codable {
    case mdns, registry, `static`
}

/// Whether a peer answered its last card fetch.
public enum AgentHealth: String, Sendable, Hashable, Codable {
    case up, down, unknown
}

/// A peer as a source reports it, before its card is fetched.
public struct SourcedAgent: Sendable, Hashable {
    /// The name the source advertises (registry `agent`, mDNS `name=`), if any.
    public var name: String?
    public var cardURL: String

    public init(name: String? = nil, cardURL: String) {
        self.name = name
        self.cardURL = cardURL
    }
}

/// One peer in the directory: its card, where it was found, when, and whether it answers.
public struct AgentRecord: Sendable, Hashable {
    /// The card's name once fetched, else the advertised name, else the card URL.
    public var name: String
    public var cardURL: String
    public var source: AgentSource
    public var lastSeen: Date
    public var health: AgentHealth
    public var card: AgentCard?
    /// The card's ETag, sent back as `If-None-Match`.
    public var etag: String?

    /// The skill ids on the fetched card.
    public var skillIds: [String] { card?.skills.map(\.id) ?? [] }
}

/// One change to the directory.
public enum DirectoryChange: Sendable, Hashable {
    case added(AgentRecord)
    case updated(AgentRecord)
    case removed(AgentRecord)
}
