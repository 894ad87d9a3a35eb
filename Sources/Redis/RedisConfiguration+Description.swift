import Logging

// Every textual form of a configuration goes through here, so the password has one place to be redacted.
extension RedisConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The URL form with the password replaced by `***`, e.g. `rediss://mesh:***@127.0.0.1:6380/0`.
    public var redactedURL: String {
        var userInfo = ""
        if let username { userInfo = percentEncoded(username) }
        if password != nil { userInfo += ":***" }
        if !userInfo.isEmpty { userInfo += "@" }
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "\(tls.isEnabled ? "rediss" : "redis")://\(userInfo)\(host):\(port)/\(database)"
    }

    /// The redacted URL, the TLS files, pool size and timeouts; never the password.
    public var description: String {
        var parts = [redactedURL]
        if case .enabled(let caFile, let certFile, let keyFile, let serverName) = tls {
            parts.append("ca=\(caFile ?? "system")")
            if let certFile { parts.append("cert=\(certFile)") }
            if let keyFile { parts.append("key=\(keyFile)") }
            if let serverName { parts.append("serverName=\(serverName)") }
        }
        parts.append("pool=\(poolSize)")
        parts.append("connectTimeout=\(connectTimeout)")
        parts.append("commandTimeout=\(commandTimeout)")
        if let keyPrefix { parts.append("keyPrefix=\(keyPrefix)") }
        return parts.joined(separator: " ")
    }

    public var debugDescription: String { "RedisConfiguration(\(description))" }

    /// The fields for `dump` and debuggers, with the password shown as `***`.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "host": host, "port": port, "username": username as Any,
                "password": (password == nil ? nil : "***") as Any, "database": database, "tls": tls,
                "connectTimeout": connectTimeout, "commandTimeout": commandTimeout, "poolSize": poolSize,
                "keyPrefix": keyPrefix as Any,
            ],
            displayStyle: .struct)
    }

    /// Logger metadata naming the server, user, database and TLS; never the password.
    public var logMetadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "redis.server": .string(address),
            "redis.user": .string(effectiveUsername),
            "redis.db": .string(String(database)),
            "redis.tls": .string(String(tls.isEnabled)),
        ]
        if case .enabled(let caFile?, _, _, _) = tls { metadata["redis.ca"] = .string(caFile) }
        return metadata
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for user info in URLs.
func percentEncoded(_ text: String) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var bytes: [UInt8] = []
    for byte in text.utf8 {
        if unreservedBytes.contains(byte) {
            bytes.append(byte)
        } else {
            bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private let unreservedBytes = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
