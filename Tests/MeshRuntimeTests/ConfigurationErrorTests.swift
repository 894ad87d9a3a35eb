import Foundation
import MeshRuntime
import Testing

/// One bad configuration and what its error must say.
struct BadConfiguration: Sendable, CustomTestStringConvertible {
    var name: String
    var mesh = SampleMesh.mesh
    var alpha = SampleMesh.alpha
    var beta = SampleMesh.beta
    /// The file the error names: `mesh.yaml`, `alpha` or `beta`.
    var file: String
    var field: String
    var value: String?
    var problem: String
    var line: Int?

    var testDescription: String { name }
}

/// `text` with the first occurrence of `old` replaced, failing loudly when it is not there.
private func replacing(_ old: String, with new: String, in text: String) -> String {
    precondition(text.contains(old), "fixture does not contain \(old)")
    return text.replacingOccurrences(of: old, with: new, options: [], range: text.range(of: old))
}

private let mesh = SampleMesh.mesh
private let alpha = SampleMesh.alpha
private let beta = SampleMesh.beta

let badConfigurations: [BadConfiguration] = [
    .init(
        name: "dispatch attempts below 1", mesh: mesh + "\ndispatch: { maxAttempts: 0 }", file: "mesh.yaml",
        field: "dispatch.maxAttempts", value: "0", problem: "must be at least 1.0", line: 9),
    .init(
        name: "dispatch delivery unknown", mesh: mesh + "\ndispatch: { delivery: carrier-pigeon }", file: "mesh.yaml",
        field: "dispatch.delivery", value: "carrier-pigeon", problem: "must be auto or push"),
    .init(
        name: "replicas below 1", mesh: replacing("replicas: 2", with: "replicas: 0", in: mesh), file: "mesh.yaml",
        field: "agents[1].replicas", value: "0", problem: "must be at least 1", line: 4),
    .init(
        name: "replicas not a number", mesh: replacing("replicas: 2", with: "replicas: two", in: mesh),
        file: "mesh.yaml", field: "agents[1].replicas", value: "two", problem: "must be a whole number"),
    .init(
        name: "topK below 1",
        beta: replacing(
            "kind: evaluate\n    settings: { rubric: [Is correct], threshold: 0.5 }",
            with: "kind: retrieve\n    settings: { topK: 0 }", in: beta),
        file: "beta", field: "skills[0].settings.topK", value: "0", problem: "must be at least 1", line: 9),
    .init(
        name: "unknown top-level field", mesh: mesh + "\npipeline: {}\n", file: "mesh.yaml", field: "pipeline",
        problem:
            "is not a known field (known: mesh, discovery, redis, auth, llm, agents, pipelines, dispatch, limits, webhooks); did you mean 'pipelines'?",
        line: 9),
    .init(
        name: "unknown skill field", alpha: replacing("settings: {", with: "setings: {", in: alpha), file: "alpha",
        field: "skills[0].setings", problem: "did you mean 'settings'?"),
    .init(
        name: "unknown settings field", beta: replacing("threshold: 0.5", with: "treshold: 0.5", in: beta),
        file: "beta", field: "skills[0].settings.treshold", problem: "did you mean 'threshold'?"),
    .init(
        name: "duplicate agent names", mesh: replacing("name: beta", with: "name: alpha", in: mesh), file: "mesh.yaml",
        field: "agents[1].name", value: "alpha", problem: "is listed twice (also agents[0].name)"),
    .init(
        name: "duplicate ports", beta: replacing("port: 6002", with: "port: 6001", in: beta), file: "beta",
        field: "port", value: "6001", problem: "is also the port of agent 'alpha'", line: 3),
    .init(
        name: "duplicate skill ids", alpha: replacing("id: outline", with: "id: draft", in: alpha), file: "alpha",
        field: "skills[1].id", value: "draft", problem: "is a duplicate skill id"),
    .init(
        name: "missing agent file", mesh: replacing("{ name: beta, replicas: 2 }", with: "{ name: gamma }", in: mesh),
        file: "mesh.yaml", field: "agents[1].name", value: "gamma", problem: "has no agent file"),
    .init(
        name: "agent file names another agent", beta: replacing("name: beta", with: "name: betta", in: beta),
        file: "beta", field: "name", value: "betta", problem: "must be 'beta'"),
    .init(
        name: "pipelines without default", mesh: replacing("  default:", with: "  research:", in: mesh),
        file: "mesh.yaml", field: "pipelines", problem: "needs a pipeline named 'default' (has: research)"),
    .init(
        name: "improve from a step the pipeline lacks",
        mesh: replacing("from: check", with: "from: evaluate", in: mesh),
        file: "mesh.yaml", field: "pipelines.default.improve.from", value: "evaluate",
        problem: "is not a step of this pipeline (steps: draft, check)"),
    .init(
        name: "improve threshold above 1", mesh: replacing("threshold: 0.8", with: "threshold: 1.5", in: mesh),
        file: "mesh.yaml", field: "pipelines.default.improve.threshold", value: "1.5",
        problem: "must be between 0 and 1"),
    .init(
        name: "negative maxRounds", mesh: replacing("maxRounds: 1", with: "maxRounds: -1", in: mesh),
        file: "mesh.yaml", field: "pipelines.default.improve.maxRounds", value: "-1", problem: "must be at least 0"),
    .init(
        name: "unknown skill kind", alpha: replacing("kind: llm", with: "kind: summarize", in: alpha), file: "alpha",
        field: "skills[0].kind", value: "summarize",
        problem: "must be one of: llm, retrieve, evaluate, finalize, http, orchestrate, gateway"),
    .init(
        name: "unknown prompt placeholder", alpha: replacing("{{memory}}", with: "{{memroy}}", in: alpha),
        file: "alpha", field: "skills[0].settings.prompt", problem: "uses the unknown placeholder {{memroy}}"),
    .init(
        name: "http skill without url",
        alpha: replacing(
            "settings: { prompt: \"Answer {{input}} using {{memory}}\" }",
            with: "settings: { method: POST }", in: replacing("kind: llm", with: "kind: http", in: alpha)),
        file: "alpha", field: "skills[0].settings.url", problem: "is required"),
    .init(
        name: "http skill with ftp url",
        alpha: replacing(
            "settings: { prompt: \"Answer {{input}} using {{memory}}\" }",
            with: "settings: { url: \"ftp://x\" }", in: replacing("kind: llm", with: "kind: http", in: alpha)),
        file: "alpha", field: "skills[0].settings.url", value: "ftp://x", problem: "must be an http:// or https:// URL"),
    .init(
        name: "unknown judge", beta: replacing("threshold: 0.5", with: "judge: crowd", in: beta), file: "beta",
        field: "skills[0].settings.judge", value: "crowd", problem: "must be one of: rubric, llm"),
    .init(
        name: "unknown discovery mode", mesh: "discovery: { modes: [mdns, dns] }\n" + mesh, file: "mesh.yaml",
        field: "discovery.modes[1]", value: "dns", problem: "must be one of: mdns, registry, static", line: 1),
    .init(
        name: "unknown llm provider", mesh: "llm: { providers: [ { kind: ollama } ] }\n" + mesh, file: "mesh.yaml",
        field: "llm.providers[0].kind", value: "ollama", problem: "must be one of: offline, openai"),
    .init(
        name: "provider without model", mesh: "llm: { providers: [ { kind: openai } ] }\n" + mesh, file: "mesh.yaml",
        field: "llm.providers[0].model", problem: "is required for kind openai"),
    .init(
        name: "missing description", alpha: replacing("description: Drafts.\n", with: "", in: alpha), file: "alpha",
        field: "description", problem: "is required"),
    .init(
        name: "no agents", mesh: "agents: []\n", file: "mesh.yaml", field: "agents", problem: "needs at least one agent"
    ),
    .init(
        name: "YAML syntax error in mesh.yaml", mesh: replacing("- { name: alpha }", with: "- { name: alpha", in: mesh),
        file: "mesh.yaml", field: "", problem: "YAML syntax error"),
    .init(
        name: "YAML syntax error in an agent file", beta: replacing("port: 6002", with: "port: [6002", in: beta),
        file: "beta", field: "", problem: "YAML syntax error"),
    .init(
        name: "duplicate YAML key", alpha: replacing("port: 6001", with: "port: 6001\nport: 6003", in: alpha),
        file: "alpha", field: "", problem: "duplicate key 'port'"),
]

@Suite("Configuration: bad files get one error naming file, field and value")
struct ConfigurationErrorTests {
    @Test(arguments: badConfigurations)
    func badConfigurationIsRejected(_ bad: BadConfiguration) throws {
        let files = try SampleMesh.write(mesh: bad.mesh, alpha: bad.alpha, beta: bad.beta)
        defer { files.remove() }
        let error = try #require(files.loadError())
        let file = bad.file == "mesh.yaml" ? files.meshFile : files.agentFile(bad.file)
        #expect(error.file == file)
        #expect(error.field == bad.field)
        #expect(error.value == bad.value)
        #expect(error.problem.contains(bad.problem), "\(error)")
        if let line = bad.line { #expect(error.line == line, "\(error)") }
        if bad.field.isEmpty { #expect(error.line != nil && error.column != nil, "syntax errors carry a position") }
        #expect(error.description.hasPrefix(file + ":"))
        if let value = bad.value { #expect(error.description.hasSuffix("(got '\(value)')")) }
    }

    @Test func sampleMeshLoads() throws {
        let files = try SampleMesh.write()
        defer { files.remove() }
        let mesh = try files.load()
        #expect(mesh.agents == [AgentEntry(name: "alpha"), AgentEntry(name: "beta", replicas: 2)])
        #expect(mesh.agent("alpha")?.skill("outline")?.settings == .llm(LLMSkillSettings()))
    }

    @Test func missingMeshFileIsNamed() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID()).yaml").path
        #expect(throws: ConfigurationError(file: path, field: "", problem: "does not exist")) {
            try MeshConfiguration.load(path: path, environment: [:])
        }
    }

    @Test func syntaxErrorDescriptionHasFileLineAndColumn() throws {
        let files = try SampleMesh.write(mesh: "agents:\n  - { name: alpha\n")
        defer { files.remove() }
        let error = try #require(files.loadError())
        #expect(
            error.description.hasPrefix("\(files.meshFile):\(error.line ?? 0):\(error.column ?? 0): YAML syntax error"))
    }

    @Test func redisURLErrorDoesNotShowThePassword() throws {
        let files = try SampleMesh.write(
            mesh: "redis: { url: \"redis://mesh:hunter2@host:99999\" }\n" + SampleMesh.mesh)
        defer { files.remove() }
        let error = try #require(files.loadError())
        #expect(error.field == "redis.url" && error.line == 1)
        #expect(error.description.contains("99999"))
        #expect(!error.description.contains("hunter2"))
    }
}
