import A2A
import Foundation
import NIOCore

/// The two exchanges the dispatch benchmark times, one per path.
enum DispatchOperations {
    /// A2A SendMessage over JSON-RPC to the worker, blocking until the task ends: completed when the answer
    /// holds a COMPLETED task.
    static func direct(target: BenchTarget, text: String) throws -> ClosedLoop.Operation {
        let template = try SendMessageTemplate(target: target, text: text)
        let runID = UInt64.random(in: 0...UInt64.max)
        let path = target.path
        return { connection, sequence in
            let body = template.body(runID: runID, sequence: UInt64(sequence), allocator: ByteBufferAllocator())
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
        return { connection, sequence in
            let body = template.body(runID: runID, sequence: UInt64(sequence), allocator: ByteBufferAllocator())
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
            guard (200..<300).contains(submitted.status), let id = decode(TaskID.self, submitted.body)?.id else {
                return .httpError
            }
            let segment = id.addingPercentEncoding(withAllowedCharacters: pathSegmentCharacters) ?? id
            let result = try await connection.send(.GET, base + "/result/\(segment)?wait=30", nil)
            guard result.status == 200, let state = decode(TaskState.self, result.body)?.state else {
                return .httpError
            }
            return state == "completed" ? .completed : .failed
        }
    }

    /// What may stay unescaped in one path segment: the unreserved characters of RFC 3986.
    static let pathSegmentCharacters = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))

    private struct TaskID: Decodable { var id: String }
    private struct TaskState: Decodable { var state: String }

    private static func decode<Value: Decodable>(_ type: Value.Type, _ body: ByteBuffer) -> Value? {
        try? JSONDecoder().decode(type, from: Data(body.readableBytesView))
    }
}
