import A2A
import Foundation

/// Finds the worker the direct path measures: an agent with the skill in the master's `/status`, and the
/// JSON-RPC interface on its card.
enum WorkerEndpoint {
    private struct Status: Decodable {
        struct Agent: Decodable {
            var name: String
            var url: String?
            var health: String?
            var skills: [String]?
        }

        var agents: [Agent]
    }

    /// The URL of a healthy agent with `skill` that the master lists, or nil when it lists none (yet).
    static func agentURL(master: BenchTarget, skill: String, apiKey: String? = nil) async throws -> String? {
        let base = master.path.hasSuffix("/") ? String(master.path.dropLast()) : master.path
        let headers = apiKey.map { [("X-API-Key", $0)] } ?? []
        let answer = try await BenchHTTPConnection(target: master, headers: headers).once(.GET, base + "/status")
        guard answer.status == 200,
            let status = try? JSONDecoder().decode(Status.self, from: Data(answer.body.readableBytesView))
        else { return nil }
        let candidates = status.agents.filter { ($0.skills ?? []).contains(skill) && $0.url != nil }
        let healthy = candidates.first { agent in
            let health = agent.health?.lowercased() ?? "up"
            return !["down", "unhealthy", "unreachable"].contains(health)
        }
        return healthy?.url
    }

    /// The JSON-RPC endpoint on the card of the agent at `agentURL` (its base URL or its card's URL).
    static func jsonRPCTarget(agentURL: String) async throws -> BenchTarget {
        let cardURL = agentURL.hasSuffix(".json") ? agentURL : agentURL.trimmingSlash + "/.well-known/agent-card.json"
        let target = try BenchTarget(url: cardURL)
        let answer = try await BenchHTTPConnection(target: target).once(.GET, target.path)
        guard answer.status == 200 else {
            throw BenchError.invalidOption("\(cardURL) answered HTTP \(answer.status), not an agent card")
        }
        let card: AgentCard
        do {
            card = try A2AJSON.decode(AgentCard.self, from: Data(answer.body.readableBytesView))
        } catch {
            throw BenchError.invalidOption("\(cardURL) is not an A2A agent card: \(error)")
        }
        guard
            let interface = card.supportedInterfaces.first(where: {
                $0.protocolBinding == ProtocolBinding.jsonRPC.rawValue && $0.url.lowercased().hasPrefix("http://")
            })
        else {
            throw BenchError.invalidOption("the card at \(cardURL) lists no plain-HTTP JSON-RPC interface")
        }
        return try BenchTarget(url: interface.url)
    }
}

extension String {
    var trimmingSlash: String { hasSuffix("/") ? String(dropLast()) : self }
}
