import ArgumentParser
import Foundation
import Logging
import MeshRuntime
import MeshTracing
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
            AuthCommand.self,
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
        do {
            // Only takes effect before the first use of NIO's singletons, so it comes first.
            if let loops = try EventLoopCount.requested(in: ProcessInfo.processInfo.environment) {
                NIOSingletons.groupLoopCountSuggestion = loops
            }
        } catch {
            FileHandle.standardError.write(Data("mesh: \(error)\n".utf8))
            exit(1)
        }
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        bootstrapLogging()
        await Mesh.main()
    }

    /// Logs go to standard error as before; inside traced work each line carries `trace_id` and `span_id`.
    /// A logger made with no metadata provider of its own still gets the trace's.
    static func bootstrapLogging() {
        LoggingSystem.bootstrap(
            { label, provider in
                StreamLogHandler.standardError(
                    label: label, metadataProvider: provider ?? MeshTrace.loggingMetadataProvider)
            }, metadataProvider: MeshTrace.loggingMetadataProvider)
    }
}
