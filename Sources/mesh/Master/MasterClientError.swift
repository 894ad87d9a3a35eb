import Foundation

/// Why a call to the master's HTTP API failed; the description is the one line the CLI prints.
enum MasterClientError: Error, Sendable, CustomStringConvertible {
    /// No HTTP exchange happened: the connection was refused, reset or timed out.
    case unreachable(url: String, reason: String)
    /// The master answered with an error status and, usually, its `{"error": {code, message}}` body.
    case http(status: Int, code: String?, message: String)
    /// The master answered, but not with what its API promises.
    case invalidResponse(url: String, reason: String)
    /// The task's event stream kept failing, so following it was given up.
    case eventStreamLost(taskId: String, attempts: Int, reason: String)

    /// Whether trying again later may help: the master is away or had a server error.
    var isTransient: Bool {
        switch self {
        case .unreachable: true
        case .http(let status, _, _): status >= 500
        case .invalidResponse, .eventStreamLost: false
        }
    }

    var description: String {
        switch self {
        case .unreachable(let url, let reason):
            "cannot reach the master at \(url) (\(reason)); start the mesh with `mesh up`, "
                + "or point --master or MASTER_URL at a running master"
        case .http(let status, let code, let message):
            "the master answered \(status)\(code.map { " \($0)" } ?? ""): \(message)"
        case .invalidResponse(let url, let reason):
            "unexpected answer from \(url): \(reason)"
        case .eventStreamLost(let taskId, let attempts, let reason):
            "lost the event stream of task \(taskId) after \(attempts) attempts to resume (\(reason)); "
                + "the task may still finish: `mesh result \(taskId) --wait 30`"
        }
    }
}

/// The master's error body: `{"error": {"code": "...", "message": "..."}}`.
struct MasterErrorBody: Decodable {
    struct Detail: Decodable {
        var code: String?
        var message: String?

        enum CodingKeys: String, CodingKey { case code, status, message }

        /// The auth layer's bodies carry a numeric `code` and a `status` name (`Unauthenticated`): the name is the code.
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code =
                (try? container.decodeIfPresent(String.self, forKey: .code))
                ?? (try? container.decodeIfPresent(String.self, forKey: .status))
            message = try container.decodeIfPresent(String.self, forKey: .message)
        }
    }

    var error: Detail?

    /// The code and message of an error answer, falling back to the start of the raw body.
    static func describe(_ body: Data, status: Int) -> (code: String?, message: String) {
        if let decoded = try? JSONDecoder().decode(Self.self, from: body), let detail = decoded.error,
            let message = detail.message, !message.isEmpty
        {
            return (detail.code, message)
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return (nil, text.isEmpty ? "no details in the answer" : text)
    }
}
