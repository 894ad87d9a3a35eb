import Foundation

extension RedisConfiguration {
    /// The environment variables that ``load(url:caFile:certFile:keyFile:environment:defaults:)`` reads.
    public static let environmentVariables = [
        "REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_USERNAME", "REDIS_PASSWORD", "REDIS_PASSWORD_FILE",
        "REDIS_DB", "REDIS_TLS", "REDIS_CA_FILE", "REDIS_CERT_FILE", "REDIS_KEY_FILE",
    ]

    /// Builds a configuration from file settings (`mesh.yaml`'s `redis:` section), then environment variables
    /// that override them, and validates it.
    ///
    /// `REDIS_URL` replaces the file's URL; the single variables then override parts of it: `REDIS_HOST`,
    /// `REDIS_PORT`, `REDIS_USERNAME`, `REDIS_PASSWORD` (or `REDIS_PASSWORD_FILE`), `REDIS_DB`, `REDIS_TLS`
    /// (`true`/`1`/`yes` or `false`/`0`/`no`), `REDIS_CA_FILE`, `REDIS_CERT_FILE` and `REDIS_KEY_FILE`.
    /// Empty values count as unset. TLS files without TLS turned on are an error, not silently ignored.
    ///
    /// - Parameters:
    ///   - url: `redis.url` from the file; nil or empty keeps `defaults`' address.
    ///   - caFile: `redis.tls.ca` from the file.
    ///   - certFile: `redis.tls.cert` from the file.
    ///   - keyFile: `redis.tls.key` from the file.
    public static func load(
        url: String? = nil, caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        defaults: RedisConfiguration = RedisConfiguration()
    ) throws -> RedisConfiguration {
        let environment = environment.filter { !$0.value.isEmpty }
        var builder = Builder(configuration: defaults)
        if let url, !url.isEmpty { try builder.apply(url: url, field: "redis.url") }
        builder.tlsFiles.set(
            ca: caFile, cert: certFile, key: keyFile, fields: ("redis.tls.ca", "redis.tls.cert", "redis.tls.key"))
        try builder.apply(environment: environment)
        let configuration = try builder.build()
        try configuration.validate()
        return configuration
    }
}

/// Merges layers of settings and remembers where each TLS file came from, for error messages.
private struct Builder {
    struct TLSFiles {
        var ca: (value: String, field: String)?
        var cert: (value: String, field: String)?
        var key: (value: String, field: String)?

        mutating func set(ca: String?, cert: String?, key: String?, fields: (String, String, String)) {
            if let ca, !ca.isEmpty { self.ca = (ca, fields.0) }
            if let cert, !cert.isEmpty { self.cert = (cert, fields.1) }
            if let key, !key.isEmpty { self.key = (key, fields.2) }
        }
    }

    var configuration: RedisConfiguration
    var tlsFiles = TLSFiles()
    var serverName: String?
    var tlsSource = "the default"

    init(configuration: RedisConfiguration) {
        self.configuration = configuration
        if case .enabled(let ca, let cert, let key, let serverName) = configuration.tls {
            tlsFiles.set(ca: ca, cert: cert, key: key, fields: ("caFile", "certFile", "keyFile"))
            self.serverName = serverName
        }
    }

    mutating func apply(url: String, field: String) throws {
        configuration = try RedisConfiguration(url: url, field: field, defaults: configuration)
        tlsSource = "\(field) (\(configuration.tls.isEnabled ? "rediss" : "redis")://)"
        if case .enabled(let ca, let cert, let key, let serverName) = configuration.tls {
            tlsFiles.set(ca: ca, cert: cert, key: key, fields: (field, field, field))
            if let serverName { self.serverName = serverName }
        }
    }

    mutating func apply(environment: [String: String]) throws {
        if let url = environment["REDIS_URL"] { try apply(url: url, field: "REDIS_URL") }
        if let host = environment["REDIS_HOST"] { configuration.host = host }
        if let text = environment["REDIS_PORT"] {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw RedisError.configuration("REDIS_PORT '\(text)' is not a port number (1-65535)")
            }
            configuration.port = port
        }
        if let username = environment["REDIS_USERNAME"] { configuration.username = username }
        if let path = environment["REDIS_PASSWORD_FILE"] {
            guard let secret = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw RedisError.configuration("REDIS_PASSWORD_FILE '\(path)' cannot be read")
            }
            configuration.password = secret.trimmingCharacters(in: .newlines)
        }
        if let password = environment["REDIS_PASSWORD"] { configuration.password = password }
        if let text = environment["REDIS_DB"] {
            guard let database = Int(text), database >= 0 else {
                throw RedisError.configuration("REDIS_DB '\(text)' is not a database number")
            }
            configuration.database = database
        }
        if let text = environment["REDIS_TLS"] {
            switch text.lowercased() {
            case "true", "1", "yes", "on": configuration.tls = .enabled()
            case "false", "0", "no", "off": configuration.tls = .disabled
            default: throw RedisError.configuration("REDIS_TLS '\(text)' is not true/1/yes or false/0/no")
            }
            tlsSource = "REDIS_TLS=\(text)"
        }
        tlsFiles.set(
            ca: environment["REDIS_CA_FILE"], cert: environment["REDIS_CERT_FILE"], key: environment["REDIS_KEY_FILE"],
            fields: ("REDIS_CA_FILE", "REDIS_CERT_FILE", "REDIS_KEY_FILE"))
    }

    func build() throws -> RedisConfiguration {
        var result = configuration
        guard result.tls.isEnabled else {
            if let file = tlsFiles.ca ?? tlsFiles.cert ?? tlsFiles.key {
                throw RedisError.configuration(
                    "\(file.field) '\(file.value)' is set but TLS is off by \(tlsSource): use rediss:// or REDIS_TLS=true"
                )
            }
            return result
        }
        switch (tlsFiles.cert, tlsFiles.key) {
        case (let cert?, nil):
            throw RedisError.configuration("\(cert.field) '\(cert.value)': cert given without key")
        case (nil, let key?):
            throw RedisError.configuration("\(key.field) '\(key.value)': key given without cert")
        default: break
        }
        result.tls = .enabled(
            caFile: tlsFiles.ca?.value, certFile: tlsFiles.cert?.value, keyFile: tlsFiles.key?.value,
            serverName: serverName)
        return result
    }
}
