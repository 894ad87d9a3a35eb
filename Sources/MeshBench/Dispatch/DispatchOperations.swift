import A2A
import Foundation
import NIOCore
import Synchronization

/// The two exchanges the dispatch benchmark times, one per path.
enum DispatchOperations {
    /// A2A SendMessage over JSON-RPC to the worker, blocking until the task ends: completed when the answer
    /// holds a COMPLETED task.
    static func direct(target: BenchTarget, text: String) throws -> ClosedLoop.Operation {
        let template = try SendMessageTemplate(target: target, text: text)
        let runID = UInt64.random(in: 0...UInt64.max)
        let path = target.path
        let messages = MessageCounter()
        return { connection, _ in
            let body = template.body(runID: runID, sequence: messages.next(), allocator: ByteBufferAllocator())
            let answer = try await connection.send(.POST, path, body)
            guard answer.status == 200 else { return .httpError }
            var scanner = ErrorMemberScanner()
            scanner.scan(answer.body)
            if scanner.finish() { return .httpError }
            return String(buffer: answer.body).contains("TASK_STATE_COMPLETED") ? .completed : .failed
        }
    }

    /// `POST /dispatch {"skill", "message"}` to the master, which forwards the message to a worker with the skill
    /// and answers with the worker's SendMessage answer: completed when that holds a COMPLETED task.
    static func routed(target: BenchTarget, skill: String, text: String) throws -> ClosedLoop.Operation {
        let template = try SendMessageTemplate.dispatch(target: target, skill: skill, text: text)
        let runID = UInt64.random(in: 0...UInt64.max)
        let path = template.head.uri
        let messages = MessageCounter()
        return { connection, _ in
            let body = template.body(runID: runID, sequence: messages.next(), allocator: ByteBufferAllocator())
            let answer = try await connection.send(.POST, path, body)
            guard answer.status == 200 else { return .httpError }
            return String(buffer: answer.body).contains("TASK_STATE_COMPLETED") ? .completed : .failed
        }
    }

    /// `POST /task {"input", "skill"}`, then `GET /result/{id}?wait=30`: completed when the result's state is.
    static func viaMaster(target: BenchTarget, skill: String, text: String) throws -> ClosedLoop.Operation {
        let submission = ByteBuffer(bytes: try JSONEncoder().encode(["input": text, "skill": skill]))
        let base = target.path.hasSuffix("/") ? String(target.path.dropLast()) : target.path
        return { connection, _ in
            let submitted = try await connection.send(.POST, base + "/task", submission)
            guard (200..<300).contains(submitted.status), let id = member("id", of: submitted.body) else {
                return .httpError
            }
            let segment = id.addingPercentEncoding(withAllowedCharacters: pathSegmentCharacters) ?? id
            let result = try await connection.send(.GET, base + "/result/\(segment)?wait=30", nil)
            guard result.status == 200, let state = member("state", of: result.body) else {
                return .httpError
            }
            return state == "completed" ? .completed : .failed
        }
    }

    /// What may stay unescaped in one path segment: the unreserved characters of RFC 3986.
    static let pathSegmentCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    /// The string member `name` of a JSON object body, read by A2A's fast reader: the load generator shares the
    /// two cores with what it measures, so it reads no more than it must.
    static func member(_ name: String, of body: ByteBuffer) -> String? {
        guard let parsed = A2AJSON.fastParse(Data(body.readableBytesView)),
            case .string(let value)? = parsed.member(name)
        else { return nil }
        return value
    }
}

/// Numbers the messages of one operation across all its runs (warm-up, rounds), so no message id repeats: the
/// loop's own sequence starts again at 0 with each run.
final class MessageCounter: Sendable {
    private let count = Atomic<UInt64>(0)

    func next() -> UInt64 { count.wrappingAdd(1, ordering: .relaxed).oldValue }
}
