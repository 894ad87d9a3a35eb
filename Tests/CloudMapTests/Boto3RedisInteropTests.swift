import CloudMap
import Foundation
import Hummingbird
import HummingbirdTesting
import MeshTesting
import Redis
import Testing

/// Runs Tests/interop/test_cloudmap_boto3.py against an in-process registry whose state is in a real
/// Redis, so boto3 sees the same answers from it as from the in-memory one. Opt in as for
/// `Boto3InteropTests` (MESH_CLOUDMAP_BOTO3=1).
@Suite(.timeLimit(.minutes(3)))
struct Boto3RedisInteropTests {
    @Test(.enabled(if: Boto3InteropTests.enabled, "set MESH_CLOUDMAP_BOTO3=1 to run boto3 against the registry"))
    func boto3SuiteOnRedis() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let python = ProcessInfo.processInfo.environment["MESH_CLOUDMAP_PYTHON"] ?? "/usr/bin/python3"
        try await RedisServer.with(mode: .plain) { server async throws in
            let configuration = RegistryConfiguration(heartbeatTTL: .seconds(2), sweepInterval: .milliseconds(200))
            let pool = try RedisConnectionPool(configuration: server.registryRedisConfiguration())
            try await pool.verify()
            let app = buildRegistryApplication(
                port: 0, configuration: configuration,
                store: RedisRegistryStore(redis: pool, configuration: configuration), services: [pool])
            try await app.test(.live) { client in
                let port = try #require(client.port)
                let output = try await runTool(
                    python,
                    [
                        "-m", "pytest", "--noconftest", "-p", "no:cacheprovider", "-q", "-rs", "--rootdir",
                        root.path + "/Tests/interop", "-o", "asyncio_mode=strict",
                        root.path + "/Tests/interop/test_cloudmap_boto3.py",
                    ],
                    environment: ["CLOUDMAP_REGISTRY_URL": "http://127.0.0.1:\(port)", "CLOUDMAP_REGISTRY_TTL": "2"],
                    timeout: .seconds(120))
                #expect(output.contains(" passed"), "\(output)")
                #expect(!output.contains(" skipped"), "\(output)")
            }
            #expect(try await server.redisCLI("EXISTS", "mesh:{registry}:state") == "1")
        }
    }
}
