import Foundation
import Redis

/// The redis-server `mesh up` runs when `mesh.yaml` names none: TLS only, one ACL user, append-only file,
/// everything under `<state-dir>/redis/`.
///
/// The password (`redis/password`, mode 0600) and the certificates are made on the first `mesh up` and
/// reused afterwards, so the data and every client's settings stay valid.
struct LocalRedis {
    /// The ACL user every process of the mesh connects as.
    static let username = "mesh"

    let directory: String
    let port: Int
    let certificates: LocalRedisCertificates
    let password: String

    var configFile: String { path("redis.conf") }
    var passwordFile: String { path("password") }
    var pidFile: String { path("redis.pid") }

    /// The URL with user and password, as children get it in `REDIS_URL`.
    var url: String { "rediss://\(Self.username):\(password)@127.0.0.1:\(port)" }

    /// How `mesh up` and its children connect.
    var configuration: RedisConfiguration {
        RedisConfiguration(
            host: "127.0.0.1", port: port, username: Self.username, password: password,
            tls: .enabled(caFile: certificates.caFile))
    }

    /// Creates or reuses the directory, password and certificates, and writes `redis.conf`.
    static func prepare(stateDirectory: String, port: Int) throws -> (LocalRedis, LocalRedisCertificates.Outcome) {
        let directory = (stateDirectory as NSString).appendingPathComponent("redis")
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let certificates = LocalRedisCertificates(directory: (directory as NSString).appendingPathComponent("tls"))
        let outcome = try certificates.prepare()
        let password = try loadOrCreatePassword(in: directory)
        let redis = LocalRedis(directory: directory, port: port, certificates: certificates, password: password)
        try redis.writeConfig()
        return (redis, outcome)
    }

    /// The child that runs it.
    func spec(environment: [String: String]) -> ChildSpec {
        ChildSpec(
            label: "redis", role: .redis, agent: nil, replica: 1, executable: "redis-server",
            arguments: [configFile], environment: environment, url: configuration.redactedURL, skills: [],
            probe: .redis(configuration))
    }

    private func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    private static func loadOrCreatePassword(in directory: String) throws -> String {
        let file = (directory as NSString).appendingPathComponent("password")
        if let text = try? String(contentsOfFile: file, encoding: .utf8) {
            let password = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if password.count >= 16, password.allSatisfy({ $0.isLetter || $0.isNumber }) { return password }
        }
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        let password = String((0..<32).map { _ in alphabet.randomElement(using: &generator)! })
        try writePrivateFile(Data((password + "\n").utf8), to: file)
        return password
    }

    /// `redis.conf`: TLS on ``port`` only, the `mesh` ACL user, the default user off, AOF every second.
    private func writeConfig() throws {
        let lines = [
            "# Written by `mesh up` at every start; edit mesh.yaml or the flags of `mesh up` instead.",
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            "supervised no",
            "port 0",
            "tls-port \(port)",
            "tls-cert-file \(quoted(certificates.certFile))",
            "tls-key-file \(quoted(certificates.keyFile))",
            "tls-ca-cert-file \(quoted(certificates.caFile))",
            "tls-auth-clients no",
            "tls-protocols \"TLSv1.2 TLSv1.3\"",
            "dir \(quoted(directory))",
            "pidfile \(quoted(pidFile))",
            "logfile \"\"",
            "loglevel notice",
            "save \"\"",
            "appendonly yes",
            "appendfsync everysec",
            "user default off",
            "user \(Self.username) on >\(password) ~* &* +@all",
        ]
        try writePrivateFile(Data((lines.joined(separator: "\n") + "\n").utf8), to: configFile)
    }

    /// A redis.conf string argument: in double quotes, with `\` and `"` escaped.
    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
