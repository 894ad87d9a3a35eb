import MeshRuntime

/// The hosts' ports once they all listen; throws if they do not within `timeout` (e.g. a port was taken).
public func runningPorts(of hosts: [AgentHost], timeout: Duration = .seconds(30)) async throws -> [Int] {
    try await withThrowingTaskGroup(of: [Int]?.self) { race in
        race.addTask {
            var ports: [Int] = []
            for host in hosts { ports.append(try await host.runningPort()) }
            return ports
        }
        race.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { race.cancelAll() }
        guard let ports = try await race.next() ?? nil else {
            throw HostNotRunning(timeout: timeout)
        }
        return ports
    }
}

/// An agent host that did not start listening in time (for example, its port was taken).
public struct HostNotRunning: Error, CustomStringConvertible {
    public var timeout: Duration
    public var description: String { "an agent host did not start listening within \(timeout)" }
}
