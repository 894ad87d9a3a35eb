import A2A
import Foundation

/// One step to run on an agent.
public struct StepCall: Sendable {
    public var taskId: String
    public var skill: String
    public var input: String
    public var contextId: String
    public var round: Int
    public var attempt: Int
}

/// How one attempt at a step ended.
public enum StepOutcome: Sendable {
    case completed(artifacts: [Artifact])
    /// The attempt failed; `agentDown` when the agent could not be reached at all.
    case failed(reason: String, agentDown: Bool)
}

/// Collects a task's artifacts from stream or push events, honouring `append`.
struct ArtifactCollector: Sendable {
    private(set) var artifacts: [Artifact] = []

    mutating func take(_ event: TaskArtifactUpdateEvent) {
        if let index = artifacts.firstIndex(where: { $0.artifactId == event.artifact.artifactId }) {
            if event.append {
                artifacts[index].parts += event.artifact.parts
            } else {
                artifacts[index] = event.artifact
            }
        } else {
            artifacts.append(event.artifact)
        }
    }

    mutating func take(_ task: A2ATask) {
        if let all = task.artifacts, !all.isEmpty { artifacts = all }
    }
}

extension A2ATask {
    /// The outcome of a task that reached a terminal or interrupted state, nil while it is still running.
    func outcome(agent: String) -> StepOutcome? {
        Self.outcome(status: status, artifacts: artifacts ?? [], agent: agent)
    }

    static func outcome(status: TaskStatus, artifacts: [Artifact], agent: String) -> StepOutcome? {
        let said = status.message?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        switch status.state {
        case .completed:
            if artifacts.isEmpty, let message = status.message {
                // An agent that answers in its status message still answered.
                return .completed(artifacts: [
                    Artifact(artifactId: message.messageId, name: "answer", parts: message.parts)
                ])
            }
            return .completed(artifacts: artifacts)
        case .failed, .rejected, .canceled:
            let reason = "\(agent) ended the step \(status.state.displayName)" + (said.isEmpty ? "" : ": \(said)")
            return .failed(reason: reason, agentDown: false)
        case .inputRequired, .authRequired:
            let reason =
                "\(agent) asked for \(status.state == .inputRequired ? "input" : "authorization")"
                + (said.isEmpty ? "" : ": \(said)")
            return .failed(reason: reason, agentDown: false)
        default:
            return nil
        }
    }
}

extension TaskState {
    /// `completed`, `input-required`, ...: the state without the proto prefix, for messages.
    var displayName: String {
        rawValue.replacingOccurrences(of: "TASK_STATE_", with: "").lowercased().replacingOccurrences(of: "_", with: "-")
    }
}

extension [Artifact] {
    /// The evaluate step's `score`: the first data part with a numeric `score`.
    var score: Double? {
        for artifact in self {
            for part in artifact.parts {
                if case .data(let value) = part.content, let score = value.objectValue?["score"]?.numberValue {
                    return score
                }
            }
        }
        return nil
    }

    /// The first characters of the text parts, for the step history.
    var summary: String? {
        let text = flatMap(\.parts).compactMap(\.text).joined(separator: "\n")
        guard !text.isEmpty else { return nil }
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}
