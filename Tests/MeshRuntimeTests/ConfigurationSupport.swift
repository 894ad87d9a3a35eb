import Foundation
import MeshRuntime
import MeshTesting
import Testing

/// A mesh written to a fresh temporary directory: `mesh.yaml` plus `agents/<name>.yaml` files.
struct TemporaryMesh {
    /// The path of `mesh.yaml`.
    let meshFile: String
    let directory: URL

    /// Writes `mesh` and `agents` (file base name to YAML) to a new directory under the temporary directory.
    init(mesh: String, agents: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("agents"), withIntermediateDirectories: true)
        meshFile = directory.appendingPathComponent("mesh.yaml").path
        try mesh.write(toFile: meshFile, atomically: true, encoding: .utf8)
        for (name, text) in agents {
            try text.write(toFile: agentFile(name), atomically: true, encoding: .utf8)
        }
    }

    /// The path of `agents/<name>.yaml`, as errors name it.
    func agentFile(_ name: String) -> String {
        directory.appendingPathComponent("agents/\(name).yaml").path
    }

    /// Loads the mesh with `environment` only (not the test process's).
    func load(environment: [String: String] = [:]) throws -> MeshConfiguration {
        try MeshConfiguration.load(path: meshFile, environment: environment)
    }

    /// The error loading throws; records an issue when loading succeeds.
    func loadError(
        environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) -> ConfigurationError? {
        do {
            _ = try MeshConfiguration.load(path: meshFile, environment: environment)
            Issue.record("loading succeeded but should have failed", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A small valid mesh: agent `alpha` (skills draft, outline; kind llm) and `beta` (check; kind evaluate).
enum SampleMesh {
    static let mesh = """
        mesh: { name: sample, keyPrefix: "sample:" }
        agents:
          - { name: alpha }
          - { name: beta, replicas: 2 }
        pipelines:
          default:
            steps: [draft, check]
            improve: { from: check, to: draft, threshold: 0.8, maxRounds: 1 }
        """

    static let alpha = """
        name: alpha
        description: Drafts.
        port: 6001
        skills:
          - id: draft
            name: Draft
            description: Drafts an answer.
            kind: llm
            settings: { prompt: "Answer {{input}} using {{memory}}" }
          - id: outline
            name: Outline
            description: Outlines an answer.
            kind: llm
        """

    static let beta = """
        name: beta
        description: Checks.
        port: 6002
        skills:
          - id: check
            name: Check
            description: Scores a draft.
            kind: evaluate
            settings: { rubric: [Is correct], threshold: 0.5 }
        """

    static var agents: [String: String] { ["alpha": alpha, "beta": beta] }

    /// The sample mesh in a temporary directory, with `mesh` or agent files replaced where given.
    static func write(mesh: String = mesh, alpha: String = alpha, beta: String = beta) throws -> TemporaryMesh {
        try TemporaryMesh(mesh: mesh, agents: ["alpha": alpha, "beta": beta])
    }
}

/// The repository's own `mesh.yaml`.
func shippedMeshFile() throws -> String {
    try TestEnvironment.packageRoot().appendingPathComponent("mesh.yaml").path
}
