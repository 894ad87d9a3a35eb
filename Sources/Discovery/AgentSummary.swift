import Foundation

/// One directory entry as `mesh discover --json` and every agent's `GET /agents` print it.
public struct AgentSummary: Codable, Sendable, Hashable {
    public var name: String
    /// The card URL.
    public var url: String
    public var skills: [String]
    /// The tags of all skills, without repeats, in card order.
    public var tags: [String]
    public var health: String
    public var source: String
    /// ISO 8601, UTC.
    public var lastSeen: String

    public init(_ record: AgentRecord) {
        name = record.name
        url = record.cardURL
        skills = record.skillIds
        var seen = Set<String>()
        tags = (record.card?.skills.flatMap(\.tags) ?? []).filter { seen.insert($0).inserted }
        health = record.health.rawValue
        source = record.source.rawValue
        lastSeen = record.lastSeen.formatted(.iso8601)
    }
}
