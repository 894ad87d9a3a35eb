import A2A

/// A change an executor makes to its task.
public enum TaskEvent: Sendable {
    case status(TaskStatus, metadata: JSONObject?)
    case artifact(Artifact, append: Bool, lastChunk: Bool, metadata: JSONObject?)
}

extension A2ATask {
    /// Applies an event under the spec's state machine, returning what to publish.
    ///
    /// Terminal tasks are immutable: any event for them is refused.
    mutating func apply(_ event: TaskEvent) throws(A2AError) -> StreamResponse {
        guard !status.state.isTerminal else {
            throw A2AError(
                .unsupportedOperation, "task \(id) is \(status.state.rawValue) and can no longer change",
                metadata: ["taskId": id])
        }
        switch event {
        case .status(var newStatus, let metadata):
            if newStatus.timestamp == nil { newStatus.timestamp = Timestamp() }
            if var message = newStatus.message {
                message.taskId = id
                message.contextId = contextId
                newStatus.message = message
            }
            // The previous status message becomes history once a newer status replaces it.
            if let previous = status.message {
                history = (history ?? []) + [previous]
            }
            status = newStatus
            return .statusUpdate(TaskStatusUpdateEvent(taskId: id, contextId: contextId, status: newStatus, metadata: metadata))
        case .artifact(let artifact, let append, let lastChunk, let metadata):
            var list = artifacts ?? []
            if let index = list.firstIndex(where: { $0.artifactId == artifact.artifactId }) {
                if append {
                    list[index].parts.append(contentsOf: artifact.parts)
                    if let extra = artifact.metadata {
                        list[index].metadata = (list[index].metadata ?? [:]).merging(extra) { _, new in new }
                    }
                } else {
                    list[index] = artifact
                }
            } else {
                list.append(artifact)
            }
            artifacts = list
            return .artifactUpdate(
                TaskArtifactUpdateEvent(
                    taskId: id, contextId: contextId, artifact: artifact, append: append, lastChunk: lastChunk,
                    metadata: metadata))
        }
    }

    /// A copy with at most `historyLength` recent messages: `nil` keeps all, `0` omits the field.
    public func limitingHistory(to historyLength: Int32?) -> A2ATask {
        guard let historyLength, let history else { return self }
        var copy = self
        if historyLength <= 0 {
            copy.history = nil
        } else if history.count > Int(historyLength) {
            copy.history = Array(history.suffix(Int(historyLength)))
        }
        return copy
    }
}
