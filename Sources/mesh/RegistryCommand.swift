import ArgumentParser
import CloudMap

/// `mesh registry`: the embedded Cloud Map registry (AWS Cloud Map API on one listener).
struct RegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Run the embedded registry that speaks the AWS Cloud Map API.",
        discussion: """
            The state is kept in memory, or in Redis when --redis-url (or REDIS_URL / REDIS_HOST) is given: \
            then every registry pointed at the same Redis serves the same namespaces, services and instances.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 7400

    @Option(
        name: .customLong("heartbeat-ttl"),
        help: "Seconds without a heartbeat after which an instance with a custom health check turns UNHEALTHY.")
    var heartbeatTTL: Double = 10

    @Option(help: "Region used in ARNs.")
    var region = "us-east-1"

    @Option(help: "12-digit account id used in ARNs.")
    var accountId = "123456789012"

    @Option(
        name: .customLong("redis-key-prefix"),
        help: "Prefix of the registry's Redis keys (the state is under <prefix>{registry}:...).")
    var redisKeyPrefix = "mesh:"

    @OptionGroup(title: "Shared state")
    var redis: RedisOptions

    func validate() throws {
        guard heartbeatTTL > 0 else { throw ValidationError("--heartbeat-ttl must be positive") }
        guard accountId.count == 12, accountId.allSatisfy(\.isNumber) else {
            throw ValidationError("--account-id must be 12 digits")
        }
    }

    func run() async throws {
        let ttl = Duration.milliseconds(Int64(heartbeatTTL * 1000))
        let configuration = RegistryConfiguration(
            region: region, accountId: accountId, heartbeatTTL: ttl, sweepInterval: min(.seconds(1), ttl / 2))
        var redisConfiguration = try redis.configuration()
        redisConfiguration?.keyPrefix = redisKeyPrefix
        try await runRegistry(host: host, port: port, configuration: configuration, redis: redisConfiguration)
    }
}
