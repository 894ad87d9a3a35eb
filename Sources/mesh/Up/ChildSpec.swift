import Foundation

/// One process `mesh up` runs and keeps running: how to start it and how to tell that it answers.
struct ChildSpec: Sendable {
    /// Where the process sits in the start order; shutdown runs the other way.
    enum Role: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case redis, registry, gateway, worker, master

        static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }

        var description: String {
            switch self {
            case .redis: "redis"
            case .registry: "registry"
            case .gateway: "llm-gateway"
            case .worker: "workers"
            case .master: "master"
            }
        }
    }

    /// How it is named in the output and in `up.json`: `redis`, `registry`, `worker-b`, `worker-b#2`.
    var label: String
    var role: Role
    /// The agent it runs; nil for Redis and the registry.
    var agent: String?
    /// 1 for the first replica of an agent.
    var replica: Int
    var executable: String
    var arguments: [String]
    /// The complete environment of the process.
    var environment: [String: String]
    /// The base URL for agents and the registry; the redacted URL for Redis.
    var url: String
    /// Skill ids from the agent file.
    var skills: [String]
    /// What has to answer before the process counts as ready.
    var probe: ReadinessProbe

    /// The command line as `up.json` records it.
    var command: [String] { [executable] + arguments }
}
