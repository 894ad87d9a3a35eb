import Foundation
import Testing

@testable import MeshBench

@Suite("mesh bench dispatch: configuration, mesh files and the closed loop's tickets")
struct DispatchBenchSetupTests {
    @Test func validationNamesTheOption() {
        var configuration = DispatchBenchConfiguration(meshExecutable: "/bin/true")
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.concurrency = 0
        #expect(throws: BenchError.invalidOption("--concurrency must be at least 1")) { try configuration.validate() }
        configuration.concurrency = 4
        configuration.skill = "plan"
        #expect(throws: BenchError.self) { try configuration.validate() }
        configuration.masterURL = "http://127.0.0.1:8000"
        #expect(throws: Never.self) { try configuration.validate() }
        configuration.masterURL = "ftp://nowhere"
        #expect(throws: BenchError.invalidOption("--master 'ftp://nowhere' is not a URL like http://127.0.0.1:8000")) {
            try configuration.validate()
        }
        configuration.masterURL = nil
        configuration.skill = "retrieve"
        configuration.durationSeconds = 0
        #expect(throws: BenchError.invalidOption("--duration must be positive")) { try configuration.validate() }
        configuration.durationSeconds = 1
        configuration.rounds = 0
        #expect(throws: BenchError.invalidOption("--rounds must be at least 1")) { try configuration.validate() }
    }

    @Test func meshFilesListTheWorkerStaticallyWithRedis() throws {
        let files = try DispatchMeshFiles.create()
        defer { files.remove() }
        try files.write(skill: "retrieve", masterPort: 18000, workerPort: 18001, redisURL: "redis://127.0.0.1:16379")
        let mesh = try String(contentsOfFile: files.meshFile, encoding: .utf8)
        #expect(mesh.contains("modes: [static]"))
        #expect(mesh.contains("static: [http://127.0.0.1:18001]"))
        #expect(mesh.contains("url: redis://127.0.0.1:16379"))
        #expect(mesh.contains("steps: [retrieve]"))
        let agents = files.directory.appendingPathComponent("agents")
        let master = try String(contentsOf: agents.appendingPathComponent("master.yaml"), encoding: .utf8)
        #expect(master.contains("port: 18000"))
        #expect(master.contains("kind: orchestrate"))
        let worker = try String(contentsOf: agents.appendingPathComponent("bench-worker.yaml"), encoding: .utf8)
        #expect(worker.contains("port: 18001"))
        #expect(worker.contains("id: retrieve"))
        #expect(worker.contains("kind: retrieve"))
        #expect(worker.contains("settings: { topK: 5 }"))
    }

    @Test func childrenDoNotInheritVariablesThatOverrideTheFiles() {
        let environment = SpawnedMesh.childEnvironment(
            redisURL: "redis://127.0.0.1:16379", masterURL: "http://127.0.0.1:18000")
        #expect(environment["REDIS_URL"] == "redis://127.0.0.1:16379")
        #expect(environment["REDIS_HOST"] == "")
        #expect(environment["REDIS_PASSWORD"] == "")
        #expect(environment["MESH_DISCOVERY"] == "")
        #expect(environment["MASTER_URL"] == "http://127.0.0.1:18000")
        // The children share the cores with the bench and Redis: one event loop each, unless the caller chose.
        let chosen = ProcessInfo.processInfo.environment["MESH_EVENT_LOOPS"] ?? ""
        #expect(environment["MESH_EVENT_LOOPS"] == (chosen.isEmpty ? "1" : nil))
    }

    @Test func ticketsStopAtTheLimitAcrossTasks() async {
        let tickets = Tickets(limit: 1000)
        let taken = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mine: [Int] = []
                    while let ticket = tickets.take() { mine.append(ticket) }
                    return mine
                }
            }
            var all: [Int] = []
            for await mine in group { all += mine }
            return all
        }
        #expect(taken.sorted() == Array(0..<1000))
        #expect(tickets.take() == nil)
    }

    @Test func redisServerIsFoundInPath() {
        #expect(BenchRedisServer.resolve("/nonexistent/redis-server") == nil)
        #expect(BenchRedisServer.resolve("sh") != nil)
    }
}
