import A2A
import A2AClient
import Foundation

/// The body of `POST /task`; nil fields are left out.
struct TaskSubmission: Encodable, Sendable {
    var input: String
    var pipeline: String?
    var skill: String?
    var contextId: String?
    var webhook: String?
}

/// Where a task's resources are, relative to the master's base URL.
struct TaskLinks: Decodable, Sendable {
    var selfLink: String?
    var events: String?
    var result: String?
    var cancel: String?

    enum CodingKeys: String, CodingKey {
        case selfLink = "self"
        case events, result, cancel
    }
}

/// The master's answer to `POST /task` and `POST /dlq/{id}/replay`.
struct TaskReceipt: Decodable, Sendable {
    var id: String
    var state: String
    var pipeline: String?
    var skill: String?
    var contextId: String?
    var links: TaskLinks?
}

/// A task as `GET /task/{id}` and `POST /task/{id}/cancel` return it, reduced to what the CLI shows.
struct TaskSnapshot: Decodable, Sendable {
    var id: String
    var state: String
    var error: JSONValue?
}

/// `GET /result/{id}`: the artifacts once the task is terminal, or its state while it still runs.
struct TaskResult: Decodable, Sendable {
    var id: String
    var state: String
    var artifacts: [Artifact]?
    var error: JSONValue?
    var message: String?

    /// Whether the task ended without a deliverable.
    var isUnsuccessful: Bool { state == "failed" || state == "canceled" }
}

/// One event of `GET /task/{id}/events`, with the SSE fields that carried it.
struct MasterTaskEvent: Decodable, Sendable {
    /// The event types after which the master ends the stream.
    static let terminalTypes: Set<String> = ["completed", "failed", "canceled"]

    var type: String
    var taskId: String?
    var state: String?
    var skill: String?
    var agent: String?
    var attempt: Int?
    var round: Int?
    var score: Double?
    var message: String?
    var progress: Double?

    var isTerminal: Bool { Self.terminalTypes.contains(type) }

    /// Decodes the event's data; the SSE `event:` field wins over the data's `type`, and data that is not the
    /// expected JSON still yields an event of that type with the data as its message.
    init(_ event: ServerSentEvent) {
        let data = Data(event.data.utf8)
        if var decoded = try? JSONDecoder().decode(Self.self, from: data) {
            if let type = event.event, !type.isEmpty { decoded.type = type }
            self = decoded
        } else {
            self.init(type: event.event ?? "message", message: event.data)
        }
    }

    init(type: String, message: String? = nil) {
        self.type = type
        self.message = message
    }

    enum CodingKeys: String, CodingKey {
        case type, taskId, state, skill, agent, attempt, round, score, message, progress
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decodeIfPresent(String.self, forKey: .type) ?? "message"
        taskId = try container.decodeIfPresent(String.self, forKey: .taskId)
        state = try container.decodeIfPresent(String.self, forKey: .state)
        skill = try container.decodeIfPresent(String.self, forKey: .skill)
        agent = try container.decodeIfPresent(String.self, forKey: .agent)
        attempt = try? container.decodeIfPresent(Int.self, forKey: .attempt)
        round = try? container.decodeIfPresent(Int.self, forKey: .round)
        score = try? container.decodeIfPresent(Double.self, forKey: .score)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        progress = try? container.decodeIfPresent(Double.self, forKey: .progress)
    }
}

extension JSONValue {
    /// A value as a person reads it: text as is, an error object by its message (and code), else JSON.
    var displayText: String {
        switch self {
        case .string(let text): return text
        case .null: return ""
        case .object(let object):
            if let message = object["message"]?.stringValue {
                return object["code"]?.stringValue.map { "\($0): \(message)" } ?? message
            }
        default: break
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "\(self)"
    }
}
