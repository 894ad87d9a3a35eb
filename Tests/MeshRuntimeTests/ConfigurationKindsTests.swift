import A2A
import Foundation
import MeshRuntime
import Testing

@Suite("Configuration: every skill kind and mesh section that a file may use")
struct ConfigurationKindsTests {
    static let agent = """
        name: alpha
        description: Everything.
        version: "2.1"
        port: 0
        skills:
          - { id: ask, name: Ask, description: Asks., kind: llm,
              settings: { prompt: "Q: {{input}}", model: gpt-4o-mini, temperature: 0 } }
          - { id: judge, name: Judge, description: Judges., kind: evaluate, settings: { judge: llm } }
          - { id: write, name: Write, description: Writes., kind: finalize, settings: { title: Report } }
          - { id: call, name: Call, description: Calls., kind: http,
              settings: { url: "https://api.example/run", method: put, timeoutSeconds: 2.5 } }
          - { id: run, name: Run, description: Runs., kind: orchestrate, settings: { attempts: 3, dlq: true } }
        """

    static let mesh = """
        discovery:
          modes: [registry, static]
          registry: { url: "", namespace: prod.local, service: mesh }
          static: ["https://agent.example/.well-known/agent-card.json"]
        redis: { url: "rediss://mesh:pw@redis.example:6380", tls: { ca: /etc/ca.pem } }
        auth:
          apiKeys:
            - { id: k-1, sha256: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", scopes: [task, dlq], perMinute: 5 }
            - { id: k-2, sha256: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" }
          jwt: { jwksURL: "https://id.example/jwks.json", issuer: me, audience: mesh, algorithms: [ES256] }
          meshKey: "a-mesh-key-of-32-characters-----"
          rateLimit: { perMinute: 60, monthlyTasks: 1000 }
        llm:
          providers:
            - { kind: bedrock, model: anthropic.claude-3-haiku, region: us-east-1, timeoutSeconds: 30 }
            - { kind: openai, model: gpt-4o-mini, baseURL: "http://127.0.0.1:11434/v1", apiKeyEnv: OPENAI_API_KEY }
        agents: [alpha]
        """

    @Test func everyKindParses() throws {
        let files = try TemporaryMesh(mesh: Self.mesh, agents: ["alpha": Self.agent])
        defer { files.remove() }
        let alpha = try #require(try files.load().agent("alpha"))
        #expect(alpha.version == "2.1" && alpha.port == 0)
        #expect(alpha.skills.map(\.kind) == [.llm, .evaluate, .finalize, .http, .orchestrate])
        #expect(alpha.skills[0].settings == .llm(.init(prompt: "Q: {{input}}", model: "gpt-4o-mini", temperature: 0)))
        #expect(alpha.skills[1].settings == .evaluate(.init(rubric: [], threshold: 0.7, judge: .llm)))
        #expect(alpha.skills[2].settings == .finalize(.init(format: .markdown, title: "Report")))
        #expect(
            alpha.skills[3].settings == .http(.init(url: "https://api.example/run", method: "PUT", timeoutSeconds: 2.5))
        )
        #expect(alpha.skills[4].settings == .orchestrate(["attempts": 3, "dlq": true]))
        #expect(alpha.card().skills.map(\.id) == ["ask", "judge", "write", "call", "run"])
    }

    @Test func meshSectionsParse() throws {
        let files = try TemporaryMesh(mesh: Self.mesh, agents: ["alpha": Self.agent])
        defer { files.remove() }
        let mesh = try files.load()
        #expect(mesh.discovery.modes == [.registry, .static])
        #expect(mesh.discovery.registry.endpoint == nil, "an empty registry URL means AWS Cloud Map")
        #expect(mesh.discovery.registry.namespace == "prod.local" && mesh.discovery.registry.service == "mesh")
        #expect(mesh.discovery.staticURLs == ["https://agent.example/.well-known/agent-card.json"])
        let redis = try #require(mesh.redis)
        #expect(redis.address == "redis.example:6380" && redis.tls == .enabled(caFile: "/etc/ca.pem"))
        #expect(
            mesh.auth.apiKeys == [
                .init(id: "k-1", sha256: String(repeating: "a", count: 64), scopes: [.task, .dlq], perMinute: 5),
                .init(id: "k-2", sha256: String(repeating: "b", count: 64)),
            ])
        #expect(
            mesh.auth.jwt.issuer == "me" && mesh.auth.jwt.audience == "mesh" && mesh.auth.jwt.algorithms == ["ES256"])
        #expect(mesh.auth.meshKey.count == 32 && mesh.auth.rateLimit == .init(perMinute: 60, monthlyTasks: 1000))
        #expect(mesh.llmProviders.map(\.kind) == [.bedrock, .openai])
        #expect(mesh.llmProviders[0].region == "us-east-1" && mesh.llmProviders[1].apiKeyEnv == "OPENAI_API_KEY")
        #expect(mesh.pipelines.isEmpty && mesh.agents == [AgentEntry(name: "alpha")])
        let summary = mesh.summary
        #expect(!summary.contains(":pw@") && summary.contains("2 API key(s)") && !summary.contains("a-mesh-key"))
    }
}
