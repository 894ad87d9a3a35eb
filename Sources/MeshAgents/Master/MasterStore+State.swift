import Redis

extension MasterStore {
    /// The task's state alone, or nil when there is no task: one field read, with nothing to decode, for
    /// callers that only need to know whether the task ended.
    public func state(of id: String) async throws -> MeshTaskState? {
        try await redis.hget(keys.task(id), field: "state").flatMap(MeshTaskState.init(rawValue:))
    }
}
