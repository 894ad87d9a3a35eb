import A2A

/// `GET /status`: the agents the master routes to, its queue and its dead letters.
struct MeshStatus: Decodable, Sendable {
    struct Agent: Decodable, Sendable {
        var name: String
        var url: String?
        var health: String?
        var skills: [String]?
        var inFlight: Int?
    }

    struct Queue: Decodable, Sendable {
        var length: Int?
        var pending: Int?
    }

    var agents: [Agent]
    var queue: Queue?
    var dlq: Int?
    var running: Int?
}

/// `GET /dlq`: the tasks that failed their last attempt.
struct DeadLetterListing: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        var id: String?
        var taskId: String
        var reason: String?
        var skill: String?
        var attempts: Int?
        var failedAt: JSONValue?
    }

    var size: Int?
    var entries: [Entry]
}
