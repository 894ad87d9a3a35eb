import Foundation
import MeshRuntime
import Testing

/// `auth:` in mesh.yaml and the `MESH_KEY` / `MESH_JWT_SECRET` variables: what parses, and errors that name the
/// field without ever quoting a secret.
@Suite("Security configuration")
struct SecurityConfigurationTests {
    static let secret = "a-long-secret-that-must-never-appear-in-an-error"
    static let hash = String(repeating: "0", count: 63) + "f"

    func load(auth: String, environment: [String: String] = [:]) throws -> MeshConfiguration {
        let files = try TemporaryMesh(
            mesh: SampleMesh.mesh + "\nauth: " + auth, agents: ["alpha": SampleMesh.alpha, "beta": SampleMesh.beta])
        defer { files.remove() }
        return try files.load(environment: environment)
    }

    func error(auth: String, environment: [String: String] = [:]) throws -> ConfigurationError {
        do {
            _ = try load(auth: auth, environment: environment)
        } catch let error as ConfigurationError {
            return error
        }
        throw ConfigurationFixtureError("auth \(auth) loaded without an error")
    }

    @Test func theContractShapeParsesWithDefaults() throws {
        let mesh = try load(
            auth: """
                { apiKeys: [ { id: alice, sha256: "\(Self.hash)", scopes: [task, dlq], monthlyTasks: 9 },
                             { id: bob, sha256: "\(Self.hash.replacingOccurrences(of: "f", with: "e"))" } ],
                  jwt: { hs256Secret: "\(Self.secret)", jwksURL: "https://id.example/.well-known/jwks.json",
                         issuer: "https://id.example", audience: mesh-api },
                  meshKey: "\(Self.secret)", rateLimit: { perMinute: 30 } }
                """)
        #expect(mesh.auth.apiKeys.map(\.id) == ["alice", "bob"])
        #expect(mesh.auth.apiKeys[0].scopes == [.task, .dlq] && mesh.auth.apiKeys[0].monthlyTasks == 9)
        #expect(mesh.auth.apiKeys[1].scopes == AuthScope.defaults && mesh.auth.apiKeys[1].perMinute == nil)
        #expect(mesh.auth.jwt.algorithms == ["RS256", "ES256"], "the default JWKS algorithms")
        #expect(mesh.auth.rateLimit == .init(perMinute: 30, monthlyTasks: 0))
        #expect(mesh.auth.clientAuthEnabled && mesh.auth.meshKey == Self.secret)
        #expect(!"\(mesh.auth)".contains(Self.secret) && !mesh.summary.contains(Self.secret))
    }

    @Test func aPlainKeyInTheListIsRefusedWithoutQuotingIt() throws {
        let error = try error(auth: "{ apiKeys: [\(Self.secret)] }")
        #expect(error.field == "auth.apiKeys[0]" && error.value == nil)
        #expect(error.problem.contains("stored hashed") && error.problem.contains("mesh auth new-key"))
        #expect(!error.description.contains(Self.secret))
    }

    @Test func aKeyPastedAsTheHashIsRefusedWithoutQuotingIt() throws {
        let error = try error(auth: "{ apiKeys: [ { id: a, sha256: \"\(Self.secret)\" } ] }")
        #expect(error.field == "auth.apiKeys[0].sha256" && error.value == nil)
        #expect(error.problem.contains("64 lower-case hex digits"))
        #expect(!error.description.contains(Self.secret))
    }

    @Test func unknownScopesDuplicateIDsAndAlgorithmsAreNamed() throws {
        let scope = try error(auth: "{ apiKeys: [ { id: a, sha256: \"\(Self.hash)\", scopes: [task, admin] } ] }")
        #expect(scope.field == "auth.apiKeys[0].scopes[1]" && scope.value == "admin")
        #expect(scope.problem == "must be one of: task, result, dispatch, dlq")
        let twice = try error(
            auth: "{ apiKeys: [ { id: a, sha256: \"\(Self.hash)\" }, { id: a, sha256: \"\(Self.hash)\" } ] }")
        #expect(twice.field == "auth.apiKeys[1]" && twice.problem == "repeats id 'a'")
        let algorithm = try error(auth: "{ jwt: { jwksURL: \"https://id.example/jwks\", algorithms: [HS256] } }")
        #expect(algorithm.field == "auth.jwt.algorithms[0]" && algorithm.value == "HS256")
        let limit = try error(auth: "{ rateLimit: { perMinute: -1 } }")
        #expect(limit.field == "auth.rateLimit.perMinute" && limit.problem == "must be 0 (unlimited) or more")
        let typo = try error(auth: "{ meshkey: x }")
        #expect(typo.problem.contains("did you mean 'meshKey'?"))
    }

    @Test func shortSecretsAreRefusedWithoutQuotingThem() throws {
        let mesh = try error(auth: "{ meshKey: short-key }")
        #expect(mesh.field == "auth.meshKey" && mesh.value == nil && mesh.problem.contains("at least 32 characters"))
        #expect(!mesh.description.contains("short-key"))
        let jwt = try error(auth: "{ jwt: { hs256Secret: tiny } }")
        #expect(jwt.field == "auth.jwt.hs256Secret" && !jwt.description.contains("tiny"))
    }

    @Test func theEnvironmentOverridesTheSecrets() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyFile = directory.appendingPathComponent("mesh.key").path
        try (Self.secret + "-from-file\n").write(toFile: keyFile, atomically: true, encoding: .utf8)

        let fromFile = try load(auth: "{ meshKey: \"\(Self.secret)\" }", environment: ["MESH_KEY_FILE": keyFile])
        #expect(fromFile.auth.meshKey == Self.secret + "-from-file", "the file's content, trimmed")
        let direct = try load(
            auth: "{}", environment: ["MESH_KEY": "0123456789abcdef0123456789abcdef", "MESH_KEY_FILE": keyFile])
        #expect(direct.auth.meshKey == "0123456789abcdef0123456789abcdef", "the variable wins over its _FILE twin")
        let jwt = try load(auth: "{}", environment: ["MESH_JWT_SECRET_FILE": keyFile])
        #expect(jwt.auth.jwt.hs256Secret == Self.secret + "-from-file" && jwt.auth.clientAuthEnabled)
        #expect(MeshConfiguration.environmentVariables.contains("MESH_KEY_FILE"))

        let missing = try error(auth: "{}", environment: ["MESH_KEY_FILE": directory.path + "/nothing"])
        #expect(missing.file == "environment" && missing.field == "MESH_KEY_FILE")
        #expect(missing.problem == "cannot read the file" && missing.value == directory.path + "/nothing")
        let short = try error(auth: "{}", environment: ["MESH_JWT_SECRET": "too-short"])
        #expect(short.field == "MESH_JWT_SECRET" && short.value == nil && !short.description.contains("too-short"))
    }
}

struct ConfigurationFixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
