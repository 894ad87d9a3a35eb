import Discovery
import Foundation
import MeshRuntime
import Redis
import Testing

@Suite("Configuration: environment overrides the files, flags override the environment")
struct ConfigurationEnvironmentTests {
    @Test func seedVariablesOverrideTheFiles() throws {
        let mesh = try MeshConfiguration.load(
            path: try shippedMeshFile(),
            environment: [
                "AGENT_ID": "worker-b", "MASTER_URL": "http://10.0.0.5:8000",
                "LLM_GATEWAY_URL": "https://gw.example:7000",
                "MESH_DISCOVERY": "registry, static", "MESH_REGISTRY_URL": "http://10.0.0.9:7400",
                "REDIS_URL": "rediss://mesh:s3cret@10.0.0.7:6380/2", "REDIS_CA_FILE": "/etc/mesh/ca.pem",
            ])
        #expect(mesh.agentID == "worker-b")
        #expect(mesh.currentAgent?.name == "worker-b")
        #expect(mesh.masterURL == "http://10.0.0.5:8000")
        #expect(mesh.llmGatewayURL == "https://gw.example:7000")
        #expect(mesh.discovery.modes == [.registry, .static])
        #expect(mesh.discovery.registry.endpoint == "http://10.0.0.9:7400")
        let redis = try #require(mesh.redis)
        #expect(redis.host == "10.0.0.7" && redis.port == 6380 && redis.database == 2)
        #expect(redis.username == "mesh" && redis.password == "s3cret")
        #expect(redis.tls == .enabled(caFile: "/etc/mesh/ca.pem"))
        #expect(redis.keyPrefix == "mesh:", "Redis keys take the mesh's prefix")
        #expect(!mesh.summary.contains("s3cret"))
    }

    @Test func seedRedisHostAndPortWork() throws {
        let mesh = try MeshConfiguration.load(
            path: try shippedMeshFile(), environment: ["REDIS_HOST": "cache.local", "REDIS_PORT": "6390"])
        #expect(mesh.redis?.address == "cache.local:6390")
    }

    @Test func emptyVariablesCountAsUnset() throws {
        let mesh = try MeshConfiguration.load(
            path: try shippedMeshFile(), environment: ["AGENT_ID": "", "REDIS_URL": "", "MESH_DISCOVERY": " "])
        #expect(mesh.agentID == nil && mesh.redis == nil && mesh.discovery.modes == [.mdns])
    }

    @Test func capabilitiesNarrowTheAgentsSkills() throws {
        let files = try SampleMesh.write()
        defer { files.remove() }
        let mesh = try files.load(environment: ["AGENT_ID": "alpha", "CAPABILITIES": "outline"])
        #expect(mesh.currentAgent?.skills.map(\.id) == ["outline"])
        #expect(mesh.agent("alpha")?.card().skills.map(\.id) == ["outline"])
        #expect(
            mesh.definitions["alpha"]?.skills.map(\.id) == ["draft", "outline"], "the file's definition stays whole")
        #expect(mesh.agent("beta")?.skills.map(\.id) == ["check"], "other agents keep their skills")
    }

    @Test func unknownCapabilityIsNamed() throws {
        let files = try SampleMesh.write()
        defer { files.remove() }
        let error = try #require(files.loadError(environment: ["AGENT_ID": "alpha", "CAPABILITIES": "draft,check"]))
        #expect(error.file == "environment" && error.field == "CAPABILITIES")
        #expect(error.problem == "names skill 'check' that agent alpha does not have (skills: draft, outline)")
        #expect(error.value == "draft,check")
    }

    @Test func capabilitiesWithoutAgentMustExistSomewhere() throws {
        let files = try SampleMesh.write()
        defer { files.remove() }
        #expect(try files.load(environment: ["CAPABILITIES": "check"]).capabilities == ["check"])
        let error = try #require(files.loadError(environment: ["CAPABILITIES": "plan"]))
        #expect(error.problem.hasPrefix("names skill 'plan' that no agent of \(files.meshFile) has"))
    }

    @Test func unknownAgentIDIsNamed() throws {
        let error = try #require(
            throwsError {
                _ = try MeshConfiguration.load(path: shippedMeshFile(), environment: ["AGENT_ID": "worker-z"])
            })
        #expect(error.field == "AGENT_ID" && error.value == "worker-z")
        #expect(error.problem.contains("is not an agent of") && error.problem.contains("worker-a"))
    }

    @Test func flagOverridesAgentID() throws {
        let files = try SampleMesh.write()
        defer { files.remove() }
        let flagged = try files.load(environment: ["AGENT_ID": "beta"]).selecting(agent: "alpha")
        #expect(flagged.currentAgent?.name == "alpha")
        // CAPABILITIES from the environment must fit the agent the flag picked.
        let narrowed = try files.load(environment: ["CAPABILITIES": "check"])
        #expect(throws: ConfigurationError.self) { _ = try narrowed.selecting(agent: "alpha") }
        let error = try #require(throwsError { _ = try files.load().selecting(agent: "gamma") })
        #expect(error.file == "command line" && error.field == "agent" && error.value == "gamma")
    }

    @Test(arguments: [
        ("MESH_DISCOVERY", "mdns,dns", "names unknown mode 'dns' (known: mdns, registry, static)"),
        ("MESH_REGISTRY_URL", "127.0.0.1:7400", "must be an http:// or https:// URL"),
        ("MASTER_URL", "master:8000", "must be an http:// or https:// URL"),
        ("LLM_GATEWAY_URL", "ftp://gw", "must be an http:// or https:// URL"),
    ])
    func badVariableIsNamed(variable: String, value: String, problem: String) throws {
        let error = try #require(
            throwsError { _ = try MeshConfiguration.load(path: shippedMeshFile(), environment: [variable: value]) })
        #expect(error == ConfigurationError(file: "environment", field: variable, problem: problem, value: value))
    }

    @Test func badRedisVariableIsNamed() throws {
        let error = try #require(
            throwsError {
                _ = try MeshConfiguration.load(
                    path: shippedMeshFile(), environment: ["REDIS_HOST": "h", "REDIS_PORT": "x"])
            })
        #expect(error.file == "environment" && error.problem.contains("REDIS_PORT 'x'"))
    }

    @Test func applyingAgainLayersOnTop() throws {
        let base = try MeshConfiguration.load(path: try shippedMeshFile(), environment: [:])
        let layered = try base.applying(environment: ["MESH_DISCOVERY": "static"]).applying(environment: [
            "MESH_REGISTRY_URL": "http://r:1"
        ])
        #expect(layered.discovery.modes == [.static] && layered.discovery.registry.endpoint == "http://r:1")
        #expect(MeshConfiguration.environmentVariables.contains("CAPABILITIES"))
    }
}

/// The ``ConfigurationError`` that `body` throws, or nil (recording an issue) when it succeeds.
func throwsError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> ConfigurationError? {
    do {
        try body()
        Issue.record("expected a ConfigurationError", sourceLocation: sourceLocation)
    } catch let error as ConfigurationError {
        return error
    } catch {
        Issue.record("expected a ConfigurationError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
