import Foundation

/// How many event-loop threads a mesh process runs: `MESH_EVENT_LOOPS`, else NIO's default of one per core.
///
/// The loops also run the process's Swift concurrency (`mesh` installs them as the global executor). The
/// processes of a one-host mesh (`mesh up`, `mesh bench dispatch`) share the machine's cores, so there the
/// processes are the parallelism. One loop each saves every request the hand-offs between threads: each
/// hand-off is a wake-up of another thread. An agent alone in a container keeps one loop per core.
public enum EventLoopCount {
    /// The environment variable.
    public static let variable = "MESH_EVENT_LOOPS"
    /// What each child process of a one-host mesh runs, unless the variable says otherwise.
    public static let sharingHost = 1

    /// The count that `environment` asks for, or nil for NIO's default. A value that is not a whole number
    /// from 1 to 256 is an error.
    public static func requested(in environment: [String: String]) throws(ConfigurationError) -> Int? {
        guard let text = environment[variable]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        guard let count = Int(text), (1...256).contains(count) else {
            throw ConfigurationError(
                file: ConfigurationError.environmentFile, field: variable,
                problem: "must be a whole number of event-loop threads from 1 to 256", value: text)
        }
        return count
    }

    /// The environment for a child process on a host that the whole mesh shares: one loop, unless
    /// `environment` already sets the variable.
    public static func forSharedHost(_ environment: [String: String]) -> [String: String] {
        var environment = environment
        if (environment[variable] ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            environment[variable] = "\(sharingHost)"
        }
        return environment
    }
}
