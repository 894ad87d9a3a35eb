import ArgumentParser
import Foundation
import MeshRuntime
import Redis

/// `mesh up`: the whole mesh on this machine, as child processes, until Ctrl-C or SIGTERM.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start the whole mesh on this machine: Redis, the registry and every agent, until Ctrl-C.",
        discussion: """
            Without a Redis in mesh.yaml (or REDIS_URL), starts a local redis-server under the state \
            directory: TLS only, an ACL user `mesh` with a generated password, append-only file. Starts the \
            registry when discovery uses one on this host, then the llm-gateway, the workers and the master, \
            each as `mesh agent NAME`, restarts any that crash (with backoff), and prints their output with \
            their names. Ctrl-C or SIGTERM stops them in the reverse order. <state-dir>/up.json says where \
            everything runs (it holds the Redis password: mode 0600).
            """)

    @Option(help: "The mesh file; agent files are read from agents/ next to it.")
    var config = "mesh.yaml"

    @Option(name: .customLong("state-dir"), help: "Where Redis's data, certificates and up.json live.")
    var stateDir = ".mesh"

    @Option(name: .customLong("redis-port"), help: "The TLS port of the local Redis (when mesh.yaml names none).")
    var redisPort = 6380

    @Option(help: "The address agents (and the registry) bind to.")
    var host = "127.0.0.1"

    @Option(
        name: .customLong("ready-timeout"),
        help: "Seconds to wait for every agent before printing the table with those that do not answer.")
    var readyTimeout: Double = 60

    @Flag(name: .customLong("no-color"), help: "Print without colours (also when NO_COLOR is set or not a terminal).")
    var noColor = false

    func validate() throws {
        guard (1...65535).contains(redisPort) else { throw ValidationError("--redis-port must be 1-65535") }
        guard readyTimeout > 0 else { throw ValidationError("--ready-timeout must be positive") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        // Output goes to a terminal or pipe that may close before the children have stopped.
        signal(SIGPIPE, SIG_IGN)
        let mesh: MeshConfiguration
        do {
            mesh = try MeshConfiguration.load(path: config)
        } catch {
            fail(error)
        }
        do {
            let prepared = try await prepare(mesh)
            let (group, status) = build(prepared, mesh: mesh, started: started)
            try await runUntilStopped(group, status: status, console: prepared.console)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            fail(error)
        }
    }

    /// Prints `error` as one line on stderr and exits 1.
    func fail(_ error: any Error) -> Never {
        FileHandle.standardError.write(Data("mesh up: \(error)\n".utf8))
        Foundation.exit(1)
    }

    /// `path` made absolute against the working directory, as children (and `up.json`) need it.
    func absolutePath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.standardizedFileURL.path
    }

    /// This binary, so children run the same build: `/proc/self/exe`, else how we were started.
    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

extension RedisConfiguration {
    /// The CA file that verifies the server, when TLS is on and one is set.
    var caFile: String? {
        if case .enabled(let caFile, _, _, _) = tls { return caFile }
        return nil
    }
}
