import ArgumentParser
import Foundation

/// `--master URL`: where the master's HTTP API answers. `MASTER_URL` applies when the flag is absent.
struct MasterOptions: ParsableArguments {
    /// The master's address when neither the flag nor `MASTER_URL` names one (its port in DESIGN.md).
    static let defaultURL = "http://127.0.0.1:8000"

    @Option(name: .customLong("master"), help: "The master's base URL (default: MASTER_URL, else \(defaultURL)).")
    var url: String?

    @Option(
        name: .customLong("api-key"),
        help: "An API key for a master that requires one, sent as X-API-Key (default: MESH_API_KEY).")
    var apiKey: String?

    /// The flag, else `MASTER_URL`, else the default, without a trailing slash.
    func baseURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let chosen = url ?? environment["MASTER_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultURL
        var trimmed = chosen.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// A URL that is not http(s)://host[:port] is a usage error.
    func validate() throws {
        let base = baseURL()
        guard let components = URLComponents(string: base), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            components.query == nil
        else {
            let source = url != nil ? "--master" : "MASTER_URL"
            throw ValidationError("\(source) '\(base)' is not a URL like \(Self.defaultURL)")
        }
    }

    /// A client for the chosen master.
    func client(environment: [String: String] = ProcessInfo.processInfo.environment) -> MasterClient {
        let key = apiKey ?? environment["MESH_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return MasterClient(baseURL: baseURL(environment: environment), apiKey: key)
    }
}
