import Logging
import Redis
import Testing

@Suite("RedisConfiguration values")
struct RedisConfigurationTests {
    let secretConfiguration = RedisConfiguration(
        host: "127.0.0.1", port: 6380, username: "mesh", password: "hunter2", database: 1,
        tls: .enabled(caFile: "/ca.pem", certFile: "/c.pem", keyFile: "/k.pem"), keyPrefix: "mesh:")

    @Test("defaults suit a local server and validate")
    func defaults() throws {
        let configuration = RedisConfiguration()
        #expect(configuration.address == "127.0.0.1:6379")
        #expect(configuration.tls == .disabled)
        #expect(configuration.poolSize >= 1)
        try configuration.validate()
    }

    @Test("description, debugDescription, dump and interpolation never show the password")
    func redaction() {
        var dumped = ""
        dump(secretConfiguration, to: &dumped)
        let texts = [
            secretConfiguration.description, secretConfiguration.debugDescription, dumped,
            "\(secretConfiguration)", String(reflecting: secretConfiguration), secretConfiguration.redactedURL,
            "\(secretConfiguration.logMetadata)",
        ]
        for text in texts {
            #expect(!text.contains("hunter2"), "\(text)")
        }
        #expect(secretConfiguration.redactedURL == "rediss://mesh:***@127.0.0.1:6380/1")
        #expect(secretConfiguration.description.contains("ca=/ca.pem"))
        #expect(dumped.contains("***"))
    }

    @Test("the redacted URL encodes the user and brackets IPv6")
    func redactedURLForms() {
        let configuration = RedisConfiguration(host: "::1", username: "a b")
        #expect(configuration.redactedURL == "redis://a%20b@[::1]:6379/0")
        #expect(RedisConfiguration().redactedURL == "redis://127.0.0.1:6379/0")
        #expect(RedisConfiguration(password: "x").redactedURL == "redis://:***@127.0.0.1:6379/0")
    }

    @Test("log metadata names server, user and TLS")
    func metadata() {
        let metadata = secretConfiguration.logMetadata
        #expect(metadata["redis.server"] == "127.0.0.1:6380")
        #expect(metadata["redis.user"] == "mesh")
        #expect(metadata["redis.tls"] == "true")
        #expect(metadata["redis.ca"] == "/ca.pem")
        #expect(RedisConfiguration(password: "p").logMetadata["redis.user"] == "default")
    }

    @Test(
        "validation names the field and the value",
        arguments: [
            (RedisConfiguration(host: ""), "host is empty"),
            (RedisConfiguration(port: 0), "port '0'"),
            (RedisConfiguration(database: -1), "database '-1'"),
            (RedisConfiguration(poolSize: 0), "poolSize '0'"),
            (RedisConfiguration(connectTimeout: .zero), "connectTimeout"),
            (RedisConfiguration(commandTimeout: .seconds(-1)), "commandTimeout"),
            (RedisConfiguration(tls: .enabled(certFile: "/c.pem")), "cert '/c.pem' given without key"),
            (RedisConfiguration(tls: .enabled(keyFile: "/k.pem")), "key '/k.pem' given without cert"),
            (RedisConfiguration(username: "mesh"), "username 'mesh' given without password"),
        ])
    func validation(configuration: RedisConfiguration, problem: String) {
        let error = #expect(throws: RedisError.self) { try configuration.validate() }
        #expect(String(describing: error).contains(problem), "\(String(describing: error))")
    }
}
