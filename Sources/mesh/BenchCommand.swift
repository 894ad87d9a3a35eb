import ArgumentParser
import Foundation
import Discovery
import MeshBench
import Redis

/// `mesh bench`: load generators; `a2a` is the first kind.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure throughput and latency.",
        subcommands: [
            A2ABenchCommand.self, RedisBenchCommand.self, DiscoveryBenchCommand.self, GatewayBenchCommand.self,
            DispatchBenchCommand.self,
        ])
}

/// `mesh bench a2a`: SendMessage over JSON-RPC, closed loop, one request in flight per connection.
struct A2ABenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "a2a", abstract: "Benchmark A2A SendMessage (JSON-RPC) against an agent.")

    @Option(help: "The agent's JSON-RPC endpoint, e.g. http://127.0.0.1:8080/.")
    var url: String

    @Option(help: "Keep-alive connections, each with one request in flight.")
    var connections = 32

    @Option(help: "Seconds of measured load (ignored with --requests).")
    var duration = 10.0

    @Option(help: "Seconds of load before measuring.")
    var warmup = 2.0

    @Option(help: "Send exactly this many measured requests, then stop.")
    var requests: Int?

    @Option(help: "Report this server process's resident memory (VmRSS) before and after.")
    var pid: Int32?

    @Option(help: "Event-loop threads of the generator.")
    var threads = 1

    @Option(help: "The text of each message.")
    var text = "hello"

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let configuration = A2ABenchConfiguration(
            target: try BenchTarget(url: url), connections: connections, threads: threads, warmupSeconds: warmup,
            durationSeconds: duration, requests: requests, serverPID: pid, text: text)
        let report = try await A2ALoadGenerator(configuration: configuration).run()
        try printReport(report, lines: report.lines, json: json)
    }
}

/// `mesh bench redis`: pipelined SET, GET and XADD on our Redis client, closed loop, like `redis-benchmark -P`.
struct RedisBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redis", abstract: "Benchmark pipelined SET/GET and XADD against a Redis server.")

    @Option(help: "redis:// or rediss:// URL with user and password; without it, REDIS_URL and the REDIS_* variables.")
    var url: String?

    @Option(help: "CA file that verifies the server's certificate.")
    var ca: String?

    @Option(help: "Client certificate, for mutual TLS.")
    var cert: String?

    @Option(help: "The client certificate's key.")
    var key: String?

    @Option(help: "Connections, each with one pipeline in flight (redis-benchmark -c).")
    var connections = 50

    @Option(help: "Commands per pipeline (redis-benchmark -P).")
    var pipeline = 16

    @Option(help: "Seconds of measured load per test (ignored with --requests).")
    var duration = 10.0

    @Option(help: "Seconds of load before measuring each test.")
    var warmup = 1.0

    @Option(help: "Measured commands per test, rounded up to whole pipelines (redis-benchmark -n).")
    var requests: Int?

    @Option(help: "Tests to run, comma-separated: set, get, xadd.")
    var tests = "set,get,xadd"

    @Option(help: "Distinct keys for SET and GET (bench:key:0 ...).")
    var keyspace = 100_000

    @Option(help: "Bytes per SET value (redis-benchmark -d).")
    var valueSize = 3

    @Option(help: "The stream XADD appends to.")
    var stream = "bench:stream"

    @Option(help: "Trim the stream with XADD MAXLEN ~ N.")
    var streamMaxlen: Int?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        // An explicit --url stands alone; the REDIS_* variables only fill in when it is missing.
        let environment = url == nil ? ProcessInfo.processInfo.environment : [:]
        let redis = try RedisConfiguration.load(url: url, caFile: ca, certFile: cert, keyFile: key, environment: environment)
        let configuration = RedisBenchConfiguration(
            redis: redis, connections: connections, pipeline: pipeline, warmupSeconds: warmup,
            durationSeconds: duration, requests: requests, tests: try RedisBenchTest.parseList(tests),
            keyspace: keyspace, valueSize: valueSize, streamKey: stream, streamMaxLength: streamMaxlen)
        let report = try await RedisLoadGenerator(configuration: configuration).run()
        try printReport(report, lines: report.lines, json: json)
    }
}

/// `mesh bench discovery`: agent processes started and SIGKILLed while another directory watches.
struct DiscoveryBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discovery",
        abstract: "Time an agent process's appearance in another directory, and its removal after SIGKILL.")

    @Option(help: "mdns or registry (repeatable; default: both).")
    var mode: [String] = []

    @Option(help: "Agent processes per mode.")
    var rounds = 5

    @Option(help: "An existing registry; by default the benchmark starts `mesh registry` on a free port.")
    var registryURL: String?

    @Option(help: "The registry's heartbeat TTL in seconds (for the registry it starts, and the agents).")
    var heartbeatTTL = 10.0

    @Option(help: "How often the watching directory polls the registry, in milliseconds.")
    var pollInterval = 250

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        var modes: [AgentSource] = []
        for name in (mode.isEmpty ? ["mdns", "registry"] : mode) {
            guard let source = AgentSource(rawValue: name) else {
                throw ValidationError("--mode '\(name)': expected mdns or registry")
            }
            modes.append(source)
        }
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        let configuration = DiscoveryBenchConfiguration(
            modes: modes, rounds: rounds, meshBinary: binary, registryEndpoint: registryURL,
            heartbeatTTLSeconds: heartbeatTTL, pollIntervalMilliseconds: pollInterval)
        let report = try await DiscoveryBench(configuration: configuration).run()
        try printReport(report, lines: report.lines, json: json)
    }
}

/// Prints a benchmark report: one JSON object with sorted keys (`--json`), else its text lines.
func printReport(_ report: some Encodable, lines: [String], json: Bool) throws {
    guard json else {
        for line in lines { print(line) }
        return
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(report), as: UTF8.self))
}
