import A2A
import A2AClient
import ArgumentParser
import Foundation

/// `mesh card URL`: fetches an agent card and prints it.
struct CardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card", abstract: "Print the A2A agent card of an agent.")

    @Argument(help: "The agent's base URL (e.g. http://127.0.0.1:5001), or the full URL of its card.")
    var url: String

    @Flag(help: "Print the card as pretty JSON instead of a table.")
    var json = false

    func run() async throws {
        do {
            let card = try await AgentCardResolver().resolve(url)
            print(json ? try ClientOutput.prettyJSON(card) : Self.table(card))
        } catch {
            throw ClientOutput.fail("card", error)
        }
    }

    /// The card as aligned, human-readable rows.
    static func table(_ card: AgentCard) -> String {
        var rows: [(String, String)] = [
            ("Name", card.name), ("Description", card.description), ("Version", card.version),
        ]
        if let provider = card.provider { rows.append(("Provider", "\(provider.organization) (\(provider.url))")) }
        let interfaces = card.supportedInterfaces.map { "\($0.protocolBinding) \($0.protocolVersion)  \($0.url)" }
        rows.append(("Interfaces", interfaces.isEmpty ? "none" : interfaces.joined(separator: "\n")))
        var capabilities: [String] = []
        if card.capabilities.streaming == true { capabilities.append("streaming") }
        if card.capabilities.pushNotifications == true { capabilities.append("push notifications") }
        if card.capabilities.extendedAgentCard == true { capabilities.append("extended card") }
        for ext in card.capabilities.extensions ?? [] { capabilities.append("extension \(ext.uri ?? "?")") }
        rows.append(("Capabilities", capabilities.isEmpty ? "none" : capabilities.joined(separator: ", ")))
        rows.append(("Input modes", card.defaultInputModes.joined(separator: ", ")))
        rows.append(("Output modes", card.defaultOutputModes.joined(separator: ", ")))
        if let schemes = card.securitySchemes, !schemes.isEmpty {
            rows.append(("Security", schemes.keys.sorted().joined(separator: ", ")))
        }
        let width = rows.map(\.0.count).max() ?? 0
        var lines = rows.flatMap { label, value in
            value.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
                (index == 0
                    ? label.padding(toLength: width, withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: width)) + "  " + line
            }
        }
        lines.append(
            "Skills" + (card.skills.isEmpty ? String(repeating: " ", count: max(width - 6, 0)) + "  none" : ""))
        let idWidth = card.skills.map(\.id.count).max() ?? 0
        for skill in card.skills {
            let indent = String(repeating: " ", count: idWidth + 4)
            let id = skill.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
            lines.append("  \(id)  \(skill.name): \(skill.description)")
            if !skill.tags.isEmpty { lines.append(indent + "tags: " + skill.tags.joined(separator: ", ")) }
            if let examples = skill.examples, !examples.isEmpty {
                lines.append(indent + "examples: " + examples.map { "\"\($0)\"" }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
