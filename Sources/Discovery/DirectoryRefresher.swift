import ServiceLifecycle

/// Keeps a directory current: refreshes every source each interval until graceful shutdown.
public struct DirectoryRefresher: Service {
    let directory: AgentDirectory
    let sources: [any DirectorySource]
    let interval: Duration

    public init(directory: AgentDirectory, sources: [any DirectorySource], interval: Duration = .seconds(1)) {
        self.directory = directory
        self.sources = sources
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await withTaskGroup(of: Void.self) { group in
                for source in sources { group.addTask { await directory.refresh(from: source) } }
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
