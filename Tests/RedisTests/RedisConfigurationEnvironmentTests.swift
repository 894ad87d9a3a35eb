import Foundation
import Redis
import Testing

@Suite("RedisConfiguration from files and the environment")
struct RedisConfigurationEnvironmentTests {
    @Test("the seed's variables alone")
    func seedVariables() throws {
        let configuration = try RedisConfiguration.load(environment: [
            "REDIS_HOST": "redis.internal", "REDIS_PORT": "6380", "REDIS_PASSWORD": "pw", "REDIS_TLS": "true",
        ])
        #expect(configuration.host == "redis.internal")
        #expect(configuration.port == 6380)
        #expect(configuration.password == "pw")
        #expect(configuration.username == nil)
        #expect(configuration.tls == .enabled())
    }

    @Test("REDIS_TLS accepts true/1/yes and false/0/no", arguments: ["true", "1", "yes", "YES", "True"])
    func tlsOn(value: String) throws {
        #expect(try RedisConfiguration.load(environment: ["REDIS_TLS": value]).tls.isEnabled)
    }

    @Test("REDIS_TLS=false turns off a rediss:// file URL", arguments: ["false", "0", "no"])
    func tlsOff(value: String) throws {
        let configuration = try RedisConfiguration.load(url: "rediss://h", environment: ["REDIS_TLS": value])
        #expect(configuration.tls == .disabled)
    }

    @Test("all TLS and ACL variables")
    func tlsVariables() throws {
        let configuration = try RedisConfiguration.load(environment: [
            "REDIS_USERNAME": "mesh", "REDIS_PASSWORD": "pw", "REDIS_TLS": "yes", "REDIS_CA_FILE": "/ca.pem",
            "REDIS_CERT_FILE": "/c.pem", "REDIS_KEY_FILE": "/k.pem",
        ])
        #expect(configuration.username == "mesh")
        #expect(configuration.tls == .enabled(caFile: "/ca.pem", certFile: "/c.pem", keyFile: "/k.pem"))
    }

    @Test("file values, then environment overrides")
    func precedence() throws {
        let fileOnly = try RedisConfiguration.load(
            url: "rediss://mesh:filepw@file-host:7000/1", caFile: "/file-ca.pem", environment: [:])
        #expect(fileOnly.host == "file-host")
        #expect(fileOnly.tls == .enabled(caFile: "/file-ca.pem"))

        let overridden = try RedisConfiguration.load(
            url: "rediss://mesh:filepw@file-host:7000/1", caFile: "/file-ca.pem",
            environment: ["REDIS_HOST": "env-host", "REDIS_PASSWORD": "envpw", "REDIS_CA_FILE": "/env-ca.pem"])
        #expect(overridden.host == "env-host")
        #expect(overridden.port == 7000)
        #expect(overridden.username == "mesh")
        #expect(overridden.password == "envpw")
        #expect(overridden.database == 1)
        #expect(overridden.tls == .enabled(caFile: "/env-ca.pem"))
    }

    @Test("REDIS_URL replaces the file URL; single variables override REDIS_URL")
    func urlVariable() throws {
        let configuration = try RedisConfiguration.load(
            url: "redis://file-host", caFile: "/file-ca.pem",
            environment: ["REDIS_URL": "rediss://u:p@env-host:6390/4", "REDIS_PORT": "6391"])
        #expect(configuration.host == "env-host")
        #expect(configuration.port == 6391)
        #expect(configuration.username == "u")
        #expect(configuration.password == "p")
        #expect(configuration.database == 4)
        #expect(configuration.tls == .enabled(caFile: "/file-ca.pem"))
    }

    @Test("empty variables count as unset; other settings keep the defaults")
    func emptyVariables() throws {
        let defaults = RedisConfiguration(poolSize: 4, keyPrefix: "mesh:")
        let configuration = try RedisConfiguration.load(
            environment: ["REDIS_HOST": "", "REDIS_TLS": "", "REDIS_URL": ""], defaults: defaults)
        #expect(configuration == defaults)
    }

    @Test("REDIS_PASSWORD_FILE reads a secret from a file, and REDIS_PASSWORD wins over it")
    func passwordFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("redis-pw-\(UUID())").path
        try "from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try RedisConfiguration.load(environment: ["REDIS_PASSWORD_FILE": path]).password == "from-file")
        let both = try RedisConfiguration.load(environment: ["REDIS_PASSWORD_FILE": path, "REDIS_PASSWORD": "env"])
        #expect(both.password == "env")
    }

    @Test(
        "bad settings name the variable and the value",
        arguments: [
            (["REDIS_PORT": "abc"], "REDIS_PORT 'abc' is not a port number"),
            (["REDIS_PORT": "99999"], "REDIS_PORT '99999' is not a port number"),
            (["REDIS_TLS": "maybe"], "REDIS_TLS 'maybe'"),
            (["REDIS_DB": "x"], "REDIS_DB 'x'"),
            (["REDIS_URL": "http://h"], "REDIS_URL 'http://h'"),
            (["REDIS_PASSWORD_FILE": "/nonexistent/pw"], "REDIS_PASSWORD_FILE '/nonexistent/pw' cannot be read"),
            (["REDIS_TLS": "1", "REDIS_CERT_FILE": "/c.pem"], "REDIS_CERT_FILE '/c.pem': cert given without key"),
            (["REDIS_TLS": "1", "REDIS_KEY_FILE": "/k.pem"], "REDIS_KEY_FILE '/k.pem': key given without cert"),
            (["REDIS_CA_FILE": "/ca.pem"], "REDIS_CA_FILE '/ca.pem' is set but TLS is off"),
            (["REDIS_USERNAME": "mesh"], "username 'mesh' given without password"),
        ])
    func badEnvironment(environment: [String: String], problem: String) {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration.load(environment: environment) }
        #expect(String(describing: error).contains(problem), "\(String(describing: error))")
    }

    @Test("a TLS file from mesh.yaml with a redis:// URL is an error naming both")
    func fileTLSWithoutTLS() {
        let error = #expect(throws: RedisError.self) {
            try RedisConfiguration.load(url: "redis://h", caFile: "/ca.pem", environment: [:])
        }
        let text = String(describing: error)
        #expect(text.contains("redis.tls.ca '/ca.pem'"))
        #expect(text.contains("redis.url"))
    }
}
