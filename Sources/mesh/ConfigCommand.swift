import ArgumentParser
import Foundation
import MeshRuntime

/// `mesh config`: work with `mesh.yaml` and `agents/*.yaml`.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check the mesh configuration.", subcommands: [Check.self])

    /// `mesh config check`: loads everything as `mesh up` would and prints it, or the first problem.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate mesh.yaml and the agent files it lists, with environment overrides applied.",
            discussion: "Prints the agents, ports, skills and pipelines, or the file, field and value that is wrong "
                + "and exits with status 1.")

        @Option(help: "The mesh file; agent files are read from agents/ next to it.")
        var config = "mesh.yaml"

        @Option(help: "Check as the process running this agent would (overrides AGENT_ID).")
        var agent: String?

        func run() async throws {
            do {
                var mesh = try MeshConfiguration.load(path: config)
                if let agent { mesh = try mesh.selecting(agent: agent) }
                print(mesh.summary)
            } catch {
                FileHandle.standardError.write(Data("mesh config check: \(error)\n".utf8))
                throw ExitCode.failure
            }
        }
    }
}
