extension RedisConfiguration {
    /// Parses `redis://[user[:password]@]host[:port][/db][?query]`; `rediss://` turns TLS on.
    ///
    /// User and password are percent-decoded; a lone user info (`redis://name@host`) is a user name, and
    /// `redis://:secret@host` is a password for the `default` user. An IPv6 host goes in brackets (`[::1]`).
    /// The query may set `db`, and for `rediss://` the TLS files `ca`, `cert`, `key` and `serverName`.
    /// Other settings keep the values of `defaults`.
    ///
    /// - Parameter field: how errors name the source, e.g. `REDIS_URL` or `redis.url`.
    public init(url: String, field: String = "url", defaults: RedisConfiguration = RedisConfiguration()) throws {
        self = defaults
        let invalid = { (problem: String) in
            RedisError.configuration("\(field) '\(redactingPassword(in: url))' \(problem)")
        }
        guard let schemeEnd = url.range(of: "://") else { throw invalid("is not a redis:// or rediss:// URL") }
        let useTLS: Bool
        switch url[..<schemeEnd.lowerBound].lowercased() {
        case "redis": useTLS = false
        case "rediss": useTLS = true
        default: throw invalid("has scheme '\(url[..<schemeEnd.lowerBound])', expected redis or rediss")
        }
        var rest = url[schemeEnd.upperBound...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        if let hashMark = rest.firstIndex(of: "#") { rest = rest[..<hashMark] }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var hostPort = rest
        username = nil
        password = nil
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            hostPort = rest[rest.index(after: at)...]
            let user: Substring
            var secret: Substring?
            if let colon = userInfo.firstIndex(of: ":") {
                user = userInfo[..<colon]
                secret = userInfo[userInfo.index(after: colon)...]
            } else {
                user = userInfo
            }
            guard let decodedUser = percentDecoded(user), let decodedSecret = secret.map(percentDecoded) ?? "" else {
                throw invalid("has a bad percent-encoding in its user info")
            }
            username = decodedUser.isEmpty ? nil : decodedUser
            password = decodedSecret.isEmpty ? nil : decodedSecret
        }
        try parseHostPort(hostPort, invalid: invalid)
        database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else { throw invalid("has database '\(path)', not a number") }
            database = number
        }
        tls = useTLS ? .enabled() : .disabled
        try applyQuery(query, invalid: invalid)
    }

    private mutating func parseHostPort(_ text: Substring, invalid: (String) -> RedisError) throws {
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid("has an IPv6 host without ']'") }
            host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("has '\(after)' after the IPv6 host") }
                portText = after.dropFirst()
            }
        } else {
            let colons = text.filter { $0 == ":" }.count
            guard colons <= 1 else { throw invalid("has an IPv6 host that is not in brackets, e.g. [::1]") }
            if let colon = text.firstIndex(of: ":") {
                host = String(text[..<colon])
                portText = text[text.index(after: colon)...]
            } else {
                host = String(text)
            }
        }
        guard !host.isEmpty else { throw invalid("has no host") }
        port = RedisConfiguration.defaultPort
        if let portText, !portText.isEmpty {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw invalid("has port '\(portText)', not a port number (1-65535)")
            }
            port = number
        }
    }

    private mutating func applyQuery(_ query: Substring, invalid: (String) -> RedisError) throws {
        var files: (ca: String?, cert: String?, key: String?, serverName: String?) = (nil, nil, nil, nil)
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard let value = percentDecoded(parts.count > 1 ? parts[1] : "") else {
                throw invalid("has a bad percent-encoding in '\(name)'")
            }
            switch name {
            case "db":
                guard let number = Int(value), number >= 0 else { throw invalid("has db '\(value)', not a number") }
                database = number
            case "ca": files.ca = value
            case "cert": files.cert = value
            case "key": files.key = value
            case "serverName": files.serverName = value
            default: throw invalid("has an unknown parameter '\(name)' (known: db, ca, cert, key, serverName)")
            }
        }
        guard files.ca != nil || files.cert != nil || files.key != nil || files.serverName != nil else { return }
        guard tls.isEnabled else { throw invalid("sets TLS files but is not rediss://") }
        tls = .enabled(caFile: files.ca, certFile: files.cert, keyFile: files.key, serverName: files.serverName)
    }
}

/// Decodes `%XX` escapes; nil when an escape is malformed or the bytes are not UTF-8.
func percentDecoded(_ text: Substring) -> String? {
    var bytes: [UInt8] = []
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
            return nil
        }
        bytes.append(high << 4 | low)
    }
    return String(validating: bytes, as: UTF8.self)
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}

/// The URL with whatever sits between `user:` and `@` replaced by `***`, for error messages.
func redactingPassword(in url: String) -> String {
    guard let schemeEnd = url.range(of: "://") else { return url }
    let authorityEnd = url[schemeEnd.upperBound...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
    let authority = url[schemeEnd.upperBound..<authorityEnd]
    guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return url }
    return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
}
