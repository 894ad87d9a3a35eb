import ArgumentParser
import Foundation
import MeshBench

/// `mesh bench gateway`: the latency the llm-gateway adds over calling the provider directly.
struct GatewayBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Measure the latency the llm-gateway adds (fixed-response OpenAI-compatible upstream, direct vs. through).")

    @Option(help: "A running gateway, e.g. http://127.0.0.1:7000, whose OPENAI_BASE_URL is http://127.0.0.1:<--upstream-port>. Without it, `mesh gateway` is started.")
    var gatewayURL: String?

    @Option(help: "Port of the fixed-response upstream (0: a free one).")
    var upstreamPort = 0

    @Option(help: "Measured requests each way.")
    var requests = 2000

    @Option(help: "Unmeasured requests each way first.")
    var warmup = 200

    func run() async throws {
        guard requests > 0, warmup >= 0 else { throw ValidationError("--requests must be positive and --warmup 0 or more") }
        var configuration = GatewayBenchConfiguration(
            meshExecutable: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        configuration.gatewayURL = gatewayURL
        configuration.upstreamPort = upstreamPort
        configuration.requests = requests
        configuration.warmup = warmup
        print(try await GatewayBench.run(configuration).text)
    }
}
