import Foundation

/// An `http://host:port/path` endpoint split into what a raw HTTP/1.1 client needs.
public struct BenchTarget: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var path: String

    public init(host: String, port: Int, path: String = "/") {
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : path
    }

    /// Parses a plain-HTTP URL; TLS is out of scope for a loopback benchmark.
    public init(url: String) throws(BenchError) {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw .invalidURL(url, reason: "expected http://host:port/path")
        }
        guard components.scheme?.lowercased() == "http" else {
            throw .invalidURL(url, reason: "only http:// is supported")
        }
        var path = components.percentEncodedPath
        if let query = components.percentEncodedQuery { path += "?" + query }
        self.init(host: host, port: components.port ?? 80, path: path)
    }

    /// The value of the `Host` header.
    public var hostHeader: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == 80 ? name : "\(name):\(port)"
    }

    public var description: String { "http://\(hostHeader)\(path)" }
}
