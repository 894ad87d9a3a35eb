import Foundation
import MeshTesting
import Testing

@Suite("Configuration: `mesh config check` as a real process")
struct ConfigurationCommandTests {
    @Test func shippedConfigurationPasses() async throws {
        let output = try await runTool(
            try TestEnvironment.meshBinary(), ["config", "check", "--config", try shippedMeshFile()])
        #expect(output.contains("mesh demo"))
        #expect(output.contains("worker-b     5002  x2        retrieve (retrieve)"))
        #expect(output.contains("master       8000  x1        orchestrate (orchestrate)"))
        #expect(output.contains("default: plan -> retrieve -> evaluate -> finalize"))
    }

    @Test func badFileFailsWithFileFieldAndValue() async throws {
        let files = try SampleMesh.write(
            mesh: SampleMesh.mesh.replacingOccurrences(of: "replicas: 2", with: "replicas: 0"))
        defer { files.remove() }
        do {
            try await runTool(try TestEnvironment.meshBinary(), ["config", "check", "--config", files.meshFile])
            Issue.record("mesh config check accepted replicas: 0")
        } catch let failure as ToolFailure {
            #expect(failure.status >> 8 & 0xff == 1, "exit status 1 (raw wait status \(failure.status))")
            #expect(failure.standardError.contains("\(files.meshFile):4:"))
            #expect(failure.standardError.contains("agents[1].replicas: must be at least 1 (got '0')"))
            #expect(failure.standardOutput.isEmpty)
        }
    }

    @Test func environmentAndAgentFlagApply() async throws {
        let files = try SampleMesh.write()
        defer { files.remove() }
        let binary = try TestEnvironment.meshBinary()
        let output = try await runTool(
            binary, ["config", "check", "--config", files.meshFile, "--agent", "alpha"],
            environment: ["CAPABILITIES": "draft"])
        #expect(output.contains("this process: alpha"))
        #expect(output.contains("alpha  6001  x1        draft (llm)\n"))
        do {
            try await runTool(
                binary, ["config", "check", "--config", files.meshFile], environment: ["CAPABILITIES": "nope"])
            Issue.record("mesh config check accepted CAPABILITIES=nope")
        } catch let failure as ToolFailure {
            #expect(failure.status >> 8 & 0xff == 1, "exit status 1 (raw wait status \(failure.status))")
            #expect(failure.standardError.contains("environment: CAPABILITIES: names skill 'nope'"))
        }
    }
}
