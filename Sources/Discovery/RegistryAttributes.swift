import A2A

/// The instance attributes an agent registers. Cloud Map matches attributes only by exact equality,
/// so each skill is its own `skill.<id>=1` attribute.
public enum RegistryAttributes {
    public static let cardURL = "a2a_card_url"
    public static let agent = "agent"

    /// `skill.<id>`.
    public static func skillKey(_ id: String) -> String { "skill.\(id)" }

    /// Address, card URL, name and one `skill.<id>=1` per skill of `card`.
    public static func make(card: AgentCard, host: String, port: Int, cardURL: String) -> [String: String] {
        var attributes = [
            "AWS_INSTANCE_IPV4": host, "AWS_INSTANCE_PORT": String(port), Self.cardURL: cardURL, agent: card.name,
        ]
        for skill in card.skills { attributes[skillKey(skill.id)] = "1" }
        return attributes
    }
}
