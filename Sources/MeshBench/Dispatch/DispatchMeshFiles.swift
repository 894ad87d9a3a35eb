import Crypto
import Foundation

/// The credentials of a benchmark mesh with authentication on: the client's API key (with a rate limit and a
/// monthly quota high enough never to refuse, so every task still runs the limiter) and the mesh key.
struct BenchAuth: Sendable {
    let apiKey: String
    let meshKey: String

    static func random() -> BenchAuth {
        func hex(_ count: Int) -> String {
            (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        }
        return BenchAuth(apiKey: "mk_bench_" + hex(24), meshKey: hex(32))
    }

    var apiKeyHash: String { SHA256.hash(data: Data(apiKey.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// `mesh.yaml`'s `auth:` block.
    var yaml: String {
        """
        auth:
          apiKeys:
            - { id: bench, sha256: "\(apiKeyHash)", perMinute: 100000000, monthlyTasks: 1000000000 }
          meshKey: "\(meshKey)"

        """
    }
}

/// The temporary `mesh.yaml` and `agents/*.yaml` of the mesh `mesh bench dispatch` starts: a master and one
/// worker that it knows by a static URL, sharing one Redis.
struct DispatchMeshFiles {
    static let masterName = "master"
    static let workerName = "bench-worker"

    /// The directory that holds the files (and the Redis data), removed by ``remove()``.
    let directory: URL
    var meshFile: String { directory.appendingPathComponent("mesh.yaml").path }

    /// A new, empty temporary directory for the files.
    static func create() throws -> DispatchMeshFiles {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mesh-bench-dispatch-\(getpid())-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return DispatchMeshFiles(directory: directory)
    }

    /// Writes `mesh.yaml` and the two agent files.
    func write(skill: String, masterPort: Int, workerPort: Int, redisURL: String, auth: BenchAuth? = nil) throws {
        let agents = directory.appendingPathComponent("agents")
        try FileManager.default.createDirectory(at: agents, withIntermediateDirectories: true)
        try Self.mesh(skill: skill, workerPort: workerPort, redisURL: redisURL, auth: auth)
            .write(to: directory.appendingPathComponent("mesh.yaml"), atomically: true, encoding: .utf8)
        try Self.master(port: masterPort)
            .write(to: agents.appendingPathComponent("\(Self.masterName).yaml"), atomically: true, encoding: .utf8)
        try Self.worker(skill: skill, port: workerPort)
            .write(to: agents.appendingPathComponent("\(Self.workerName).yaml"), atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    static func mesh(skill: String, workerPort: Int, redisURL: String, auth: BenchAuth? = nil) -> String {
        """
        # Written by `mesh bench dispatch`: a master and one worker, found by a static URL, sharing one Redis.
        mesh: { name: bench-dispatch, keyPrefix: "bench:" }
        discovery:
          modes: [static]
          static: [http://127.0.0.1:\(workerPort)]
        redis:
          url: \(redisURL)
        agents:
          - { name: \(masterName) }
          - { name: \(workerName) }
        pipelines:
          default:
            steps: [\(skill)]

        """ + (auth?.yaml ?? "")
    }

    static func master(port: Int) -> String {
        """
        name: \(masterName)
        description: The master under benchmark.
        version: 1.0.0
        port: \(port)
        skills:
          - id: orchestrate
            name: Orchestrate
            description: Routes each task to the benchmark worker.
            kind: orchestrate

        """
    }

    /// A worker whose only skill is cheap: Markdown from the request (finalize) or BM25 over an empty
    /// knowledge base (retrieve).
    static func worker(skill: String, port: Int) -> String {
        let settings = skill == "retrieve" ? "{ topK: 5 }" : "{ format: markdown }"
        return """
            name: \(workerName)
            description: The worker behind the master under benchmark.
            version: 1.0.0
            port: \(port)
            skills:
              - id: \(skill)
                name: \(skill.capitalized)
                description: A cheap skill, so the benchmark measures the path and not the work.
                kind: \(skill)
                settings: \(settings)

            """
    }
}
