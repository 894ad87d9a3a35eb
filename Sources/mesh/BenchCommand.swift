import ArgumentParser
import Foundation
import MeshBench

/// `mesh bench`: load generators; `a2a` is the first kind.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure throughput and latency.", subcommands: [A2ABenchCommand.self])
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
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for line in report.lines { print(line) }
        }
    }
}
