import Foundation
import MeshRuntime
import MeshTesting
import Testing

/// `MESH_EVENT_LOOPS`: read at start by every `mesh` process, set to 1 for the children of a one-host mesh.
@Suite struct EventLoopCountTests {
    @Test func theVariableIsAWholeNumberOfLoopsOrAbsent() throws {
        #expect(try EventLoopCount.requested(in: [:]) == nil)
        #expect(try EventLoopCount.requested(in: ["MESH_EVENT_LOOPS": " "]) == nil)
        #expect(try EventLoopCount.requested(in: ["MESH_EVENT_LOOPS": "1"]) == 1)
        #expect(try EventLoopCount.requested(in: ["MESH_EVENT_LOOPS": " 8 "]) == 8)
        for bad in ["0", "-2", "two", "1.5", "257"] {
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try EventLoopCount.requested(in: ["MESH_EVENT_LOOPS": bad])
            }
        }
        do {
            _ = try EventLoopCount.requested(in: ["MESH_EVENT_LOOPS": "two"])
        } catch {
            #expect(
                error.description
                    == "environment: MESH_EVENT_LOOPS: must be a whole number of event-loop threads from 1 to 256 (got 'two')"
            )
        }
    }

    @Test func childrenOfASharedHostGetOneLoopUnlessTheCallerChose() {
        #expect(EventLoopCount.forSharedHost(["PATH": "/bin"]) == ["PATH": "/bin", "MESH_EVENT_LOOPS": "1"])
        #expect(EventLoopCount.forSharedHost(["MESH_EVENT_LOOPS": ""])["MESH_EVENT_LOOPS"] == "1")
        #expect(EventLoopCount.forSharedHost(["MESH_EVENT_LOOPS": "4"])["MESH_EVENT_LOOPS"] == "4")
    }

    /// The count reaches NIO. Its loop threads are named `NIO-SGLTN-<group>-#<n>`; threads that a loop thread
    /// starts inherit its name, so the distinct names count the loops.
    @Test func aProcessRunsAsManyLoopsAsItIsTold() async throws {
        for loops in [1, 3] {
            let port = try freeLoopbackPort()
            try await ManagedProcess.withLaunched(
                name: "mesh-loops-\(loops)", executable: try TestEnvironment.meshBinary(),
                arguments: ["conformance", "--port", "\(port)"], environment: ["MESH_EVENT_LOOPS": "\(loops)"]
            ) { process in
                try await process.waitUntilReady(url: "http://127.0.0.1:\(port)/ping")
                let tasks = "/proc/\(process.pid)/task"
                let names = try FileManager.default.contentsOfDirectory(atPath: tasks).compactMap { thread in
                    try? String(contentsOfFile: "\(tasks)/\(thread)/comm", encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let loopNames = Set(names.filter { $0.hasPrefix("NIO-SGLTN-") })
                #expect(loopNames.count == loops, "\(names.sorted())")
            }
        }
    }

    @Test func aBadCountStopsAnyCommandBeforeItStarts() async throws {
        let run = try await runMesh(["conformance", "--port", "0"], environment: ["MESH_EVENT_LOOPS": "0"])
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "mesh: environment: MESH_EVENT_LOOPS: must be a whole number of event-loop threads from 1 to 256 (got '0')\n"
        )
    }
}
