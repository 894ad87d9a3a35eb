import Foundation

/// Bind tests for ports: whether one is free, and a free one for a replica.
enum PortProbe {
    /// Whether `host:port` can be bound right now (IPv4 addresses and `localhost`).
    static func canBind(host: String, port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        let ipv4 = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, ipv4, &address.sin_addr) == 1 else { return true }  // not IPv4: let the child try
        let length = socklen_t(MemoryLayout<sockaddr_in>.size)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
        }
    }

    /// A port that can be bound on `host`, never one of `excluding`. It is picked below Linux's ephemeral
    /// range (32768 and up), where outgoing connections could take it before the child binds it, and below
    /// the range the test fixtures hand out (20000 and up).
    static func freePort(host: String, excluding: Set<Int>) throws -> Int {
        for _ in 0..<500 {
            let candidate = Int.random(in: 10_000..<20_000)
            if !excluding.contains(candidate), canBind(host: host, port: candidate) { return candidate }
        }
        throw UpFailure("found no free port on \(host) between 10000 and 20000")
    }
}
