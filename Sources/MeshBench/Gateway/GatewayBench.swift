import Foundation
import NIOCore
import NIOHTTP1

/// What `mesh bench gateway` measures and against which gateway.
public struct GatewayBenchConfiguration: Sendable {
    /// A running gateway (`http://host:port`) whose OpenAI provider points at the upstream's port; nil
    /// starts `mesh gateway` from `meshExecutable`.
    public var gatewayURL: String?
    /// The port of the fixed-response upstream (0: a free one; a running gateway needs it fixed).
    public var upstreamPort = 0
    /// The `mesh` binary to start a gateway from.
    public var meshExecutable: String
    public var requests = 2000
    public var warmup = 200

    public init(meshExecutable: String) {
        self.meshExecutable = meshExecutable
    }
}

/// Latency of the same chat completion sent straight to the upstream and through the gateway.
public struct GatewayBenchReport: Sendable {
    public var requests: Int
    /// Sorted latencies in nanoseconds.
    public var direct: [UInt64]
    public var viaGateway: [UInt64]

    static func percentile(_ sorted: [UInt64], _ percent: Double) -> UInt64 {
        sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * percent / 100))]
    }

    /// What the gateway adds at the median: the difference of the two medians.
    public var addedP50: Int64 { Int64(Self.percentile(viaGateway, 50)) - Int64(Self.percentile(direct, 50)) }
    public var addedP99: Int64 { Int64(Self.percentile(viaGateway, 99)) - Int64(Self.percentile(direct, 99)) }

    public var text: String {
        func ms(_ ns: Int64) -> String { String(format: "%.3f ms", Double(ns) / 1_000_000) }
        func row(_ name: String, _ sorted: [UInt64]) -> String {
            "\(name)  p50 \(ms(Int64(Self.percentile(sorted, 50))))  p99 \(ms(Int64(Self.percentile(sorted, 99))))"
        }
        return [
            "gateway bench: \(requests) sequential POST /v1/chat/completions each way, one keep-alive connection",
            row("direct to upstream  ", direct),
            row("through the gateway ", viaGateway),
            "added by the gateway: p50 \(ms(addedP50)), p99 \(ms(addedP99))  (target: p50 < 1 ms)",
        ].joined(separator: "\n")
    }
}

/// Runs the gateway benchmark: a fixed-response upstream, a gateway in front of it, interleaved requests.
public enum GatewayBench {
    static let request = #"{"model":"bench-model","messages":[{"role":"user","content":"ping"}],"max_tokens":8}"#

    public static func run(_ configuration: GatewayBenchConfiguration) async throws -> GatewayBenchReport {
        if configuration.gatewayURL != nil && configuration.upstreamPort == 0 {
            throw BenchError.invalidOption("--gateway-url needs --upstream-port: the gateway's OPENAI_BASE_URL port")
        }
        let upstream = try await FixedResponseServer.start(port: configuration.upstreamPort)
        var child: BenchChildProcess?
        do {
            let (host, port): (String, Int)
            if let url = configuration.gatewayURL {
                guard let components = URLComponents(string: url), let name = components.host, let number = components.port else {
                    throw BenchError.invalidURL(url, reason: "expected http://host:port")
                }
                (host, port) = (name, number)
            } else {
                port = try BenchChildProcess.freeLoopbackPort()
                host = "127.0.0.1"
                child = try BenchChildProcess(
                    executable: configuration.meshExecutable,
                    arguments: ["gateway", "--port", "\(port)", "--provider", "openai:bench-model"],
                    environment: [
                        "OPENAI_BASE_URL": "http://127.0.0.1:\(upstream.port)", "OPENAI_API_KEY": "", "LLM_MAX_RETRIES": "0",
                        "LLM_CACHE_TTL_SECONDS": "", "REDIS_URL": "", "REDIS_HOST": "", "LOG_LEVEL": "error",
                    ])
                try await waitForPing(host: host, port: port)
            }
            let report = try await measure(configuration, upstreamPort: upstream.port, gatewayHost: host, gatewayPort: port)
            await child?.stop()
            await upstream.stop()
            return report
        } catch {
            await child?.stop(keepLog: true)
            await upstream.stop()
            throw error
        }
    }

    static func measure(
        _ configuration: GatewayBenchConfiguration, upstreamPort: Int, gatewayHost: String, gatewayPort: Int
    ) async throws -> GatewayBenchReport {
        let direct = SequentialHTTPClient(host: "127.0.0.1", port: upstreamPort)
        let gateway = SequentialHTTPClient(host: gatewayHost, port: gatewayPort)
        var directTimes: [UInt64] = []
        var gatewayTimes: [UInt64] = []
        try await direct.withConnection { sendDirect in
            try await gateway.withConnection { sendGateway in
                // Interleaved, so drift in machine load affects both paths alike.
                for index in 0..<(configuration.warmup + configuration.requests) {
                    let (directStatus, directTime) = try await sendDirect(.POST, "/v1/chat/completions", request)
                    let (gatewayStatus, gatewayTime) = try await sendGateway(.POST, "/v1/chat/completions", request)
                    guard directStatus == 200, gatewayStatus == 200 else {
                        throw BenchError.noResponses("HTTP \(directStatus) direct, \(gatewayStatus) through the gateway")
                    }
                    if index >= configuration.warmup {
                        directTimes.append(directTime)
                        gatewayTimes.append(gatewayTime)
                    }
                }
            }
        }
        return GatewayBenchReport(requests: configuration.requests, direct: directTimes.sorted(), viaGateway: gatewayTimes.sorted())
    }

    /// Waits up to 20 s for the started gateway to answer `GET /ping`.
    static func waitForPing(host: String, port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let client = SequentialHTTPClient(host: host, port: port)
            if let (status, _) = try? await client.withConnection({ send in try await send(.GET, "/ping", nil) }), status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError.cannotConnect(host: host, port: port, reason: "the gateway did not answer /ping within 20 s")
    }
}
