import ArgumentParser

/// The `mesh` command: a thin shell over the library targets.
@main
struct Mesh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh",
        abstract: "Run and talk to A2A Mesh agents.",
        subcommands: [
            ConformanceCommand.self,
            CardCommand.self,
            SendCommand.self,
            BenchCommand.self,
        ]
    )
}
