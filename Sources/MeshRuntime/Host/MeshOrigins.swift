import Discovery
import Foundation

/// The origins (scheme, host, port) of the mesh's own agents: this agent's base URL and every peer its
/// discovery sees. A push to one of them is internal traffic (the master's `/result` on 127.0.0.1 in a local
/// mesh), so the webhook guard lets it through without opening private networks to client-supplied URLs.
struct MeshOrigins: Sendable {
    let baseURL: @Sendable () -> String?
    let directory: AgentDirectory?

    func contains(scheme: String, host: String, port: Int) -> Bool {
        let target = Origin(scheme: scheme, host: host, port: port)
        if let own = baseURL().flatMap(Origin.init(url:)), own == target { return true }
        guard let directory else { return false }
        return directory.records.contains { record in
            if Origin(url: record.cardURL) == target { return true }
            return record.card?.supportedInterfaces.contains { Origin(url: $0.url) == target } ?? false
        }
    }

    private struct Origin: Equatable {
        var scheme: String
        var host: String
        var port: Int

        init(scheme: String, host: String, port: Int) {
            self.scheme = scheme.lowercased()
            var host = host.lowercased()
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            self.host = host
            self.port = port
        }

        init?(url text: String) {
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else {
                return nil
            }
            self.init(scheme: scheme, host: host, port: url.port ?? (scheme == "https" ? 443 : 80))
        }
    }
}
