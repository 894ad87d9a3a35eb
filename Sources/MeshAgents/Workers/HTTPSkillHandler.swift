import A2A
import A2AServer
import A2AClient
import AsyncHTTPClient
import Foundation
import MeshRuntime
import MeshTracing
import NIOCore

/// The `http` skill kind: forwards the request to the configured URL and answers with the response body.
///
/// The body sent is the message's first data part as JSON, else its text (GET and DELETE send none). A 2xx
/// answer becomes an artifact with the response's media type and is recorded under the skill's id as
/// `{url, status, body}`; any other status, a refused connection or a timeout fails the task, naming the URL.
public struct HTTPSkillHandler: WorkerSkillHandler {
    public let settings: HTTPSkillSettings
    let httpClient: HTTPClient

    public init(settings: HTTPSkillSettings, httpClient: HTTPClient = A2AClient.defaultHTTPClient) {
        self.settings = settings
        self.httpClient = httpClient
    }

    public nonisolated(nonsending) func run(_ call: SkillCall) async throws {
        let sendsBody = !["GET", "DELETE"].contains(settings.method)
        let payload = Self.payload(of: call.request.message)
        if sendsBody && payload.body.isEmpty {
            throw WorkerSkillError.badInput("\(call.skill.id) needs input to forward: send text or a data part")
        }
        try await call.updater.startWork()
        var request = HTTPClientRequest(url: settings.url)
        switch settings.method {
        case "GET": request.method = .GET
        case "PUT": request.method = .PUT
        case "PATCH": request.method = .PATCH
        case "DELETE": request.method = .DELETE
        default: request.method = .POST
        }
        // The backend sees the task's trace, like every other hop.
        for header in MeshTrace.outgoingHeaders() { request.headers.add(name: header.name, value: header.value) }
        if sendsBody {
            request.headers.add(name: "content-type", value: payload.contentType)
            request.body = .bytes(ByteBuffer(bytes: payload.body))
        }
        let target = "\(settings.method) \(settings.url)"
        let status: UInt
        let contentType: String?
        let body: String
        do {
            let response = try await httpClient.execute(
                request, timeout: .milliseconds(Int64(settings.timeoutSeconds * 1000)))
            status = response.status.code
            contentType = response.headers.first(name: "content-type")
            body = String(buffer: try await response.body.collect(upTo: 8 << 20))
        } catch {
            throw WorkerSkillError.failed("\(target) failed: \(error)")
        }
        guard (200..<300).contains(status) else {
            throw WorkerSkillError.failed("\(target) answered \(status): \(body.prefix(300))")
        }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        try await call.memory.write(
            context: call.contextId, name: call.skill.id,
            value: ["url": .string(settings.url), "status": .number(Double(status)), "body": .string(body)])
        try await call.updater.addArtifact([.text(body, mediaType: mediaType)], name: call.skill.id, lastChunk: true)
        try await call.updater.complete()
    }

    /// What to send: the first data part as JSON, else the text.
    static func payload(of message: Message) -> (body: Data, contentType: String) {
        for part in message.parts {
            if case .data(let value) = part.content, let json = try? JSONEncoder().encode(value) {
                return (json, "application/json")
            }
        }
        let text = message.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return (Data(text.utf8), "text/plain; charset=utf-8")
    }
}
