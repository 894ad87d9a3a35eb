import ArgumentParser
import Foundation
import MeshBench

/// `mesh bench dispatch`: what the master adds to a skill call, in latency and in tasks per second.
struct DispatchBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Measure the master: tasks/s and the latency it adds over calling the worker directly.",
        discussion: """
            Every path runs the same closed loop of --concurrency clients: A2A SendMessage (JSON-RPC, blocking) to \
            the worker; POST /task {"skill"} then GET /result/{id}?wait=30 through the master (the targets' \
            measure); and POST /dispatch, the master's synchronous routing of one message. Without \
            --master, the benchmark starts redis-server (appendonly, fsync every second), one worker and \
            `mesh agent master` on free loopback ports, and stops them at the end. Targets: >= 2,000 tasks/s \
            and < 2 ms added at p50.
            """)

    @Option(help: "Measured tasks per path (ignored with --duration).")
    var tasks = 2000

    @Option(help: "Concurrent clients per path, each with one task in flight.")
    var concurrency = 16

    @Option(help: "Seconds of measured load per path, instead of --tasks.")
    var duration: Double?

    @Option(help: "Unmeasured tasks per path first.")
    var warmup = 200

    @Option(help: "A running master, e.g. http://127.0.0.1:8000; nothing is started then.")
    var master: String?

    @Option(help: "The skill to call: finalize or retrieve for the started worker; any skill with --master.")
    var skill = "finalize"

    @Option(help: "The worker's JSON-RPC URL for the direct path (default: from the master's /status and the card).")
    var workerURL: String?

    @Option(help: "The text of each task.")
    var input: String?

    @Option(
        help: """
            Rounds of both paths, alternating which goes first; the report gives the medians (this machine is \
            noisy).
            """)
    var rounds = 1

    @Option(help: "The redis-server binary to start.")
    var redisServer = "redis-server"

    @Flag(
        help: """
            Also start a mesh with authentication on (API key with a rate limit and quota in Redis, mesh tokens to \
            the worker) and compare the master path with it off and on.
            """)
    var auth = false

    @Option(help: "Rounds of the --auth comparison (each measures both meshes once).")
    var authRounds = 5

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        do {
            try makeConfiguration().validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let configuration = makeConfiguration()
        let report = try await DispatchBench(configuration: configuration).run()
        try printReport(report, lines: report.lines, json: json)
    }

    func makeConfiguration() -> DispatchBenchConfiguration {
        var configuration = DispatchBenchConfiguration(
            meshExecutable: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
        configuration.tasks = tasks
        configuration.concurrency = concurrency
        configuration.durationSeconds = duration
        configuration.warmupTasks = warmup
        configuration.masterURL = master
        configuration.skill = skill
        configuration.workerURL = workerURL
        if let input { configuration.input = input }
        configuration.redisServer = redisServer
        configuration.rounds = rounds
        configuration.compareAuth = auth
        configuration.authRounds = authRounds
        return configuration
    }
}
