import A2A
import Foundation

// Each reader assigns every stored property itself (no memberwise init): a member added to a record does not
// compile until it is read here too. Its writer is held to the `Codable` output by the tests.

extension MeshTask {
    /// Reads a task from the JSON its `Codable` conformance (or ``write(to:)``) wrote.
    ///
    /// - Throws: on anything unexpected (a missing, mistyped, unknown or repeated member, a malformed
    ///   artifact); `JSONDecoder` then decides, as ``MeshJSON/decode(_:from:)`` does.
    public init(parsed: ParsedJSON) throws {
        try self.init(reading: parsed)
    }

    private init(reading parsed: ParsedJSON) throws(MeshJSONRefusal) {
        typealias Read = MeshJSONRead
        var seen = Read.Seen()
        var id: String?
        var state: MeshTaskState?
        var input: String?
        var contextId: String?
        var steps: [String]?
        var stepIndex: Int?
        var round: Int?
        var attempt: Int?
        var history: [MeshStepRecord]?
        var artifacts: [Artifact]?
        var deadLettered: Bool?
        var createdAt: Timestamp?
        var updatedAt: Timestamp?
        (pipeline, skill, metadata, webhook, improve, error, owner, traceParent, traceState) =
            (nil, nil, nil, nil, nil, nil, nil, nil, nil)
        for (key, value) in try Read.members(parsed) {
            switch key {
            case "id": try seen.mark(0); id = try Read.string(value)
            case "state":
                try seen.mark(1)
                guard let known = MeshTaskState(rawValue: try Read.string(value)) else { throw MeshJSONRefusal() }
                state = known
            case "input": try seen.mark(2); input = try Read.string(value)
            case "pipeline": try seen.mark(3); pipeline = try Read.optionalString(value)
            case "skill": try seen.mark(4); skill = try Read.optionalString(value)
            case "contextId": try seen.mark(5); contextId = try Read.string(value)
            case "metadata": try seen.mark(6); metadata = try Read.optionalObject(value)
            case "webhook": try seen.mark(7); webhook = try Read.optionalString(value)
            case "steps": try seen.mark(8); steps = try Read.strings(value)
            case "improve":
                try seen.mark(9)
                if case .null = value { continue }
                improve = try ImprovePlan(reading: value)
            case "stepIndex": try seen.mark(10); stepIndex = try Read.int(value)
            case "round": try seen.mark(11); round = try Read.int(value)
            case "attempt": try seen.mark(12); attempt = try Read.int(value)
            case "history":
                try seen.mark(13)
                guard case .array(let elements) = value else { throw MeshJSONRefusal() }
                var records: [MeshStepRecord] = []
                records.reserveCapacity(elements.count)
                for element in elements { records.append(try MeshStepRecord(reading: element)) }
                history = records
            case "artifacts":
                try seen.mark(14)
                guard case .array(let elements) = value else { throw MeshJSONRefusal() }
                var list: [Artifact] = []
                list.reserveCapacity(elements.count)
                for element in elements { list.append(try Read.artifact(element)) }
                artifacts = list
            case "error": try seen.mark(15); error = try Read.optionalString(value)
            case "deadLettered": try seen.mark(16); deadLettered = try Read.bool(value)
            case "owner": try seen.mark(17); owner = try Read.optionalString(value)
            case "traceParent": try seen.mark(18); traceParent = try Read.optionalString(value)
            case "traceState": try seen.mark(19); traceState = try Read.optionalString(value)
            case "createdAt": try seen.mark(20); createdAt = try Read.timestamp(value)
            case "updatedAt": try seen.mark(21); updatedAt = try Read.timestamp(value)
            default: throw MeshJSONRefusal()
            }
        }
        guard let id, let state, let input, let contextId, let steps, let stepIndex, let round, let attempt,
            let history, let artifacts, let deadLettered, let createdAt, let updatedAt
        else { throw MeshJSONRefusal() }
        self.id = id
        self.state = state
        self.input = input
        self.contextId = contextId
        self.steps = steps
        self.stepIndex = stepIndex
        self.round = round
        self.attempt = attempt
        self.history = history
        self.artifacts = artifacts
        self.deadLettered = deadLettered
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

extension MeshTask.ImprovePlan {
    fileprivate init(reading parsed: ParsedJSON) throws(MeshJSONRefusal) {
        typealias Read = MeshJSONRead
        var seen = Read.Seen()
        var from: String?
        var to: String?
        var threshold: Double?
        var maxRounds: Int?
        for (key, value) in try Read.members(parsed) {
            switch key {
            case "from": try seen.mark(0); from = try Read.string(value)
            case "to": try seen.mark(1); to = try Read.string(value)
            case "threshold": try seen.mark(2); threshold = try Read.double(value)
            case "maxRounds": try seen.mark(3); maxRounds = try Read.int(value)
            default: throw MeshJSONRefusal()
            }
        }
        guard let from, let to, let threshold, let maxRounds else { throw MeshJSONRefusal() }
        self.from = from
        self.to = to
        self.threshold = threshold
        self.maxRounds = maxRounds
    }
}

extension MeshStepRecord {
    fileprivate init(reading parsed: ParsedJSON) throws(MeshJSONRefusal) {
        typealias Read = MeshJSONRead
        var seen = Read.Seen()
        var skill: String?
        var round: Int?
        var attempt: Int?
        var state: Outcome?
        var startedAt: Timestamp?
        (agent, agentURL, taskId, endedAt, error, score, summary) = (nil, nil, nil, nil, nil, nil, nil)
        for (key, value) in try Read.members(parsed) {
            switch key {
            case "skill": try seen.mark(0); skill = try Read.string(value)
            case "round": try seen.mark(1); round = try Read.int(value)
            case "attempt": try seen.mark(2); attempt = try Read.int(value)
            case "agent": try seen.mark(3); agent = try Read.optionalString(value)
            case "agentURL": try seen.mark(4); agentURL = try Read.optionalString(value)
            case "taskId": try seen.mark(5); taskId = try Read.optionalString(value)
            case "state":
                try seen.mark(6)
                guard let known = Outcome(rawValue: try Read.string(value)) else { throw MeshJSONRefusal() }
                state = known
            case "startedAt": try seen.mark(7); startedAt = try Read.timestamp(value)
            case "endedAt": try seen.mark(8); endedAt = try Read.optionalTimestamp(value)
            case "error": try seen.mark(9); error = try Read.optionalString(value)
            case "score": try seen.mark(10); score = try Read.optionalDouble(value)
            case "summary": try seen.mark(11); summary = try Read.optionalString(value)
            default: throw MeshJSONRefusal()
            }
        }
        guard let skill, let round, let attempt, let state, let startedAt else { throw MeshJSONRefusal() }
        self.skill = skill
        self.round = round
        self.attempt = attempt
        self.state = state
        self.startedAt = startedAt
    }
}

extension MeshTaskEvent {
    /// Reads an event from the JSON its `Codable` conformance (or ``write(to:)``) wrote.
    ///
    /// - Throws: on anything unexpected (a missing, mistyped, unknown or repeated member); `JSONDecoder` then
    ///   decides, as ``MeshJSON/decode(_:from:)`` does.
    public init(parsed: ParsedJSON) throws {
        try self.init(reading: parsed)
    }

    private init(reading parsed: ParsedJSON) throws(MeshJSONRefusal) {
        typealias Read = MeshJSONRead
        var seen = Read.Seen()
        var type: Kind?
        var taskId: String?
        var state: MeshTaskState?
        var progress: Double?
        var time: Timestamp?
        (skill, agent, attempt, round, score, message) = (nil, nil, nil, nil, nil, nil)
        for (key, value) in try Read.members(parsed) {
            switch key {
            case "type":
                try seen.mark(0)
                guard let kind = Kind(rawValue: try Read.string(value)) else { throw MeshJSONRefusal() }
                type = kind
            case "taskId": try seen.mark(1); taskId = try Read.string(value)
            case "state":
                try seen.mark(2)
                guard let known = MeshTaskState(rawValue: try Read.string(value)) else { throw MeshJSONRefusal() }
                state = known
            case "skill": try seen.mark(3); skill = try Read.optionalString(value)
            case "agent": try seen.mark(4); agent = try Read.optionalString(value)
            case "attempt": try seen.mark(5); attempt = try Read.optionalInt(value)
            case "round": try seen.mark(6); round = try Read.optionalInt(value)
            case "score": try seen.mark(7); score = try Read.optionalDouble(value)
            case "message": try seen.mark(8); message = try Read.optionalString(value)
            case "progress": try seen.mark(9); progress = try Read.double(value)
            case "time": try seen.mark(10); time = try Read.timestamp(value)
            default: throw MeshJSONRefusal()
            }
        }
        guard let type, let taskId, let state, let progress, let time else { throw MeshJSONRefusal() }
        self.type = type
        self.taskId = taskId
        self.state = state
        self.progress = progress
        self.time = time
    }
}
