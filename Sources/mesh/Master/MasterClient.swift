import A2A
import A2AClient
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOPosix

/// A small client of the master's HTTP API: `/task`, `/result`, `/status` and `/dlq`.
///
/// Every call maps a failure below HTTP to ``MasterClientError/unreachable(url:reason:)`` and an error status
/// to ``MasterClientError/http(status:code:message:)`` with the master's own message.
struct MasterClient: Sendable {
    /// A decoded answer with its status and the raw body, which `--json` prints.
    struct Reply<Value: Sendable>: Sendable {
        var status: Int
        var value: Value
        var body: Data
    }

    /// The largest body read from the master.
    static let maxBodyBytes = 16 << 20

    /// `http://host:port`, without a trailing slash.
    let baseURL: String
    /// Sent as `X-API-Key` when set (`--api-key`, `MESH_API_KEY`).
    var apiKey: String?
    var httpClient: HTTPClient = A2AClient.defaultHTTPClient
    /// How long one call may take (a `?wait=N` result call adds its wait).
    var timeout: Duration = .seconds(30)

    /// `POST /task`: queues a task; the `Idempotency-Key` header makes a retried submission safe.
    func submit(_ submission: TaskSubmission, idempotencyKey: String? = nil) async throws -> Reply<TaskReceipt> {
        let headers = idempotencyKey.map { [("Idempotency-Key", $0)] } ?? []
        return try await call(
            .POST, "/task", body: try JSONEncoder().encode(submission), headers: headers, expecting: [200, 201, 202])
    }

    /// `GET /result/{id}?wait=N`: 200 once the task is terminal, 202 while it still runs after the wait.
    func result(taskId: String, wait: Int = 0) async throws -> Reply<TaskResult> {
        try await call(
            .GET, "/result/\(Self.pathSegment(taskId))?wait=\(wait)", timeout: timeout + .seconds(wait),
            expecting: [200, 202])
    }

    /// `POST /task/{id}/cancel`: the task, now canceled.
    func cancel(taskId: String) async throws -> Reply<TaskSnapshot> {
        try await call(.POST, "/task/\(Self.pathSegment(taskId))/cancel", expecting: [200])
    }

    /// `GET /status`: agents, queue and dead-letter counts.
    func status() async throws -> Reply<MeshStatus> {
        try await call(.GET, "/status", expecting: [200])
    }

    /// `GET /dlq`: the dead-lettered tasks.
    func deadLetters() async throws -> Reply<DeadLetterListing> {
        try await call(.GET, "/dlq", expecting: [200])
    }

    /// `POST /dlq/{taskId}/replay`: queues a dead-lettered task again.
    func replay(taskId: String) async throws -> Reply<TaskReceipt> {
        try await call(.POST, "/dlq/\(Self.pathSegment(taskId))/replay", expecting: [200, 202])
    }

    /// `GET /task/{id}/events`: hands each event to `handle` until it returns false (true is returned) or the
    /// stream ends (false). `lastEventID` resumes after that event.
    func followEvents(
        taskId: String, lastEventID: String?, _ handle: (ServerSentEvent) -> Bool
    ) async throws -> Bool {
        let url = baseURL + "/task/\(Self.pathSegment(taskId))/events"
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: lastEventID) }
        let response: HTTPClientResponse
        do {
            // The stream lasts as long as the task; only a broken connection ends it early.
            response = try await httpClient.execute(request, deadline: .distantFuture)
        } catch {
            throw Self.transportError(error, url: baseURL)
        }
        guard response.status == .ok else {
            throw Self.statusError(Int(response.status.code), body: try await Self.read(response, url: baseURL))
        }
        var parser = ServerSentEventParser()
        do {
            for try await buffer in response.body {
                for event in parser.parse(buffer.readableBytesView) where !handle(event) {
                    return true
                }
            }
        } catch {
            throw Self.transportError(error, url: baseURL)
        }
        return false
    }

    private func call<Value: Decodable & Sendable>(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = [],
        timeout: Duration? = nil, expecting: Set<Int>
    ) async throws -> Reply<Value> {
        let url = baseURL + path
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response: HTTPClientResponse
        do {
            response = try await httpClient.execute(request, timeout: TimeAmount(timeout ?? self.timeout))
        } catch {
            throw Self.transportError(error, url: baseURL)
        }
        let status = Int(response.status.code)
        let data = try await Self.read(response, url: baseURL)
        guard expecting.contains(status) else { throw Self.statusError(status, body: data) }
        do {
            return Reply(status: status, value: try JSONDecoder().decode(Value.self, from: data), body: data)
        } catch {
            throw MasterClientError.invalidResponse(url: url, reason: "HTTP \(status): \(Self.decodingProblem(error))")
        }
    }

    private static func read(_ response: HTTPClientResponse, url: String) async throws -> Data {
        do {
            var buffer = try await response.body.collect(upTo: maxBodyBytes)
            return buffer.readData(length: buffer.readableBytes) ?? Data()
        } catch is NIOTooManyBytesError {
            throw MasterClientError.invalidResponse(url: url, reason: "the body exceeds \(maxBodyBytes) bytes")
        } catch {
            throw transportError(error, url: url)
        }
    }

    private static func statusError(_ status: Int, body: Data) -> MasterClientError {
        let (code, message) = MasterErrorBody.describe(body, status: status)
        return .http(status: status, code: code, message: message)
    }

    /// A failure below HTTP as an error naming the master's URL and the cause in a few words.
    static func transportError(_ error: any Error, url: String) -> any Error {
        if error is CancellationError || Task.isCancelled { return CancellationError() }
        if let error = error as? MasterClientError { return error }
        return MasterClientError.unreachable(url: url, reason: reason(error))
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded: return "no answer in time"
            case .connectTimeout: return "the connection timed out"
            case .remoteConnectionClosed: return "the master closed the connection"
            default: return "\(error)"
            }
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return reason(first.error)
        }
        return "\(error)"
    }

    /// A decoding error in one phrase: what was wrong and where.
    static func decodingProblem(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "the body" : String(keys.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)) lacks '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// A task id made safe for one path segment.
    static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/")))
            ?? id
    }
}
