import ArgumentParser
import NIOCore
import NIOPosix

/// The `mesh` command: a thin shell over the library targets.
struct Mesh: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mesh",
        abstract: "Run and talk to A2A Mesh agents.",
        subcommands: [
            UpCommand.self,
            ConformanceCommand.self,
            CardCommand.self,
            SendCommand.self,
            BenchCommand.self,
            RegistryCommand.self,
            DiscoverCommand.self,
            GatewayCommand.self,
            ConfigCommand.self,
            IngestCommand.self,
            AgentCommand.self,
            TaskCommand.self,
            ResultCommand.self,
            CancelCommand.self,
            StatusCommand.self,
            DLQCommand.self,
        ]
    )
}

@main
enum MeshMain {
    static func main() async {
        // Run Swift concurrency on NIO's event loops: request handling, actors and the network then
        // share threads instead of hopping between two pools.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await Mesh.main()
    }
}
