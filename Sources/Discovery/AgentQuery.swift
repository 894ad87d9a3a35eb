/// What to look for in the directory; every given field must match.
public struct AgentQuery: Sendable, Hashable {
    public var skill: String?
    public var tag: String?
    public var name: String?
    /// Whether peers marked down are returned too.
    public var includeDown: Bool

    public init(skill: String? = nil, tag: String? = nil, name: String? = nil, includeDown: Bool = false) {
        self.skill = skill
        self.tag = tag
        self.name = name
        self.includeDown = includeDown
    }

    /// Whether `record` satisfies the query.
    public func matches(_ record: AgentRecord) -> Bool {
        if !includeDown && record.health == .down { return false }
        if let skill, !record.skillIds.contains(skill) { return false }
        if let tag, !(record.card?.skills.contains { $0.tags.contains(tag) } ?? false) { return false }
        if let name, record.name != name { return false }
        return true
    }
}
