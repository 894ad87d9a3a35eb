import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A TCP port on 127.0.0.1 that was free a moment ago, for a child process to bind.
///
/// It is picked below Linux's ephemeral range (32768–60999): ports there are handed out to every outgoing
/// connection and every bind to port 0 of the whole test run, so one picked there could be taken by another
/// test before the child binds it. Within this process no port is handed out twice.
public func freeLoopbackPort() throws -> Int {
    for _ in 0..<200 {
        let candidate = Int.random(in: 20_000..<32_000)
        let fresh = handedOut.withLock { $0.insert(candidate).inserted }
        if fresh, canBind(candidate) { return candidate }
    }
    throw MeshTestingError.noFreePort(errno: EADDRINUSE)
}

private let handedOut = Mutex<Set<Int>>([])

/// Whether 127.0.0.1:`port` can be bound right now.
private func canBind(_ port: Int) -> Bool {
    #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 }
    }
}
