import Redis
import Testing

@Suite("RedisConfiguration from URLs")
struct RedisConfigurationURLTests {
    @Test("a full redis:// URL")
    func fullURL() throws {
        let configuration = try RedisConfiguration(url: "redis://mesh:s3cret@cache.local:6380/2")
        #expect(configuration.host == "cache.local")
        #expect(configuration.port == 6380)
        #expect(configuration.username == "mesh")
        #expect(configuration.password == "s3cret")
        #expect(configuration.database == 2)
        #expect(configuration.tls == .disabled)
    }

    @Test("rediss:// turns TLS on; defaults fill the rest")
    func tlsURL() throws {
        let configuration = try RedisConfiguration(url: "rediss://localhost")
        #expect(configuration.tls == .enabled(caFile: nil, certFile: nil, keyFile: nil, serverName: nil))
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.username == nil && configuration.password == nil)
    }

    @Test("scheme is case-insensitive")
    func schemeCase() throws {
        #expect(try RedisConfiguration(url: "REDISS://h").tls.isEnabled)
    }

    @Test("user info is percent-decoded")
    func percentDecoding() throws {
        let configuration = try RedisConfiguration(url: "redis://us%40er:p%3Aa%2Fs%40s%20w%C3%B6rd@h:1")
        #expect(configuration.username == "us@er")
        #expect(configuration.password == "p:a/s@s wörd")
    }

    @Test("an @ left unencoded in the password still splits at the last @")
    func unencodedAt() throws {
        let configuration = try RedisConfiguration(url: "redis://u:a@b@h")
        #expect(configuration.password == "a@b")
        #expect(configuration.host == "h")
    }

    @Test("password only means the default user; a lone name is a user")
    func passwordOnly() throws {
        let passwordOnly = try RedisConfiguration(url: "redis://:secret@h")
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "secret")
        #expect(passwordOnly.effectiveUsername == "default")
        let nameOnly = try RedisConfiguration(url: "redis://alice@h")
        #expect(nameOnly.username == "alice")
        #expect(nameOnly.password == nil)
    }

    @Test("IPv6 hosts in brackets, with and without a port")
    func ipv6() throws {
        let withPort = try RedisConfiguration(url: "redis://[::1]:7000/1")
        #expect(withPort.host == "::1")
        #expect(withPort.port == 7000)
        #expect(withPort.address == "[::1]:7000")
        let withoutPort = try RedisConfiguration(url: "rediss://u:p@[fe80::1%25lo]")
        #expect(withoutPort.host == "fe80::1%25lo")
        #expect(withoutPort.port == 6379)
    }

    @Test("query sets db and TLS files")
    func query() throws {
        let configuration = try RedisConfiguration(
            url: "rediss://h:6380?db=3&ca=/etc/ca.pem&cert=/c.pem&key=/k%20ey.pem&serverName=redis.internal")
        #expect(configuration.database == 3)
        #expect(
            configuration.tls
                == .enabled(
                    caFile: "/etc/ca.pem", certFile: "/c.pem", keyFile: "/k ey.pem", serverName: "redis.internal"))
    }

    @Test("a URL keeps the defaults it does not mention")
    func keepsDefaults() throws {
        let defaults = RedisConfiguration(commandTimeout: .seconds(2), poolSize: 3, keyPrefix: "mesh:")
        let configuration = try RedisConfiguration(url: "redis://h", defaults: defaults)
        #expect(configuration.poolSize == 3)
        #expect(configuration.commandTimeout == .seconds(2))
        #expect(configuration.keyPrefix == "mesh:")
    }

    @Test(
        "bad URLs name the field, the value and the problem",
        arguments: [
            ("http://h", "scheme 'http'"),
            ("localhost:6379", "is not a redis:// or rediss:// URL"),
            ("redis://h:abc", "port 'abc'"),
            ("redis://h:0", "port '0'"),
            ("redis://h:70000", "port '70000'"),
            ("redis://h/x", "database 'x'"),
            ("redis://h/-1", "database '-1'"),
            ("redis://::1", "not in brackets"),
            ("redis://[::1", "without ']'"),
            ("redis://[::1]x", "after the IPv6 host"),
            ("redis://:6379", "has no host"),
            ("redis://u:p%zz@h", "percent-encoding"),
            ("redis://h?timeout=3", "unknown parameter 'timeout'"),
            ("redis://h?ca=/ca.pem", "not rediss://"),
            ("redis://h?db=x", "db 'x'"),
        ])
    func badURLs(url: String, problem: String) throws {
        let error = #expect(throws: RedisError.self) { try RedisConfiguration(url: url, field: "REDIS_URL") }
        guard case .configuration(let message)? = error else {
            Issue.record("expected a configuration error, got \(String(describing: error))")
            return
        }
        #expect(message.hasPrefix("REDIS_URL '"))
        #expect(message.contains(problem), "\(message)")
    }

    @Test("an error about a URL never shows its password")
    func errorRedactsPassword() throws {
        let error = #expect(throws: RedisError.self) {
            try RedisConfiguration(url: "redis://mesh:hunter2@h:notaport", field: "redis.url")
        }
        let text = String(describing: error)
        #expect(!text.contains("hunter2"))
        #expect(text.contains("redis://mesh:***@h:notaport"))
    }
}
