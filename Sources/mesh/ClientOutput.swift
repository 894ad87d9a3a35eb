import A2A
import A2AClient
import ArgumentParser
import Foundation

/// How `mesh card` and `mesh send` show protocol values and failures.
enum ClientOutput {
    /// Prints `error` as one line on stderr and returns the exit code to throw.
    static func fail(_ command: String, _ error: any Error) -> ExitCode {
        let text = "\(error)".replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("mesh \(command): \(text)\n".utf8))
        return .failure
    }

    /// Pretty, key-sorted JSON of a protocol value.
    static func prettyJSON<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try A2AJSON.makeEncoder(pretty: true).encode(value), as: UTF8.self)
    }

    /// One-line JSON of a protocol value.
    static func compactJSON<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try A2AJSON.encode(value), as: UTF8.self)
    }

    /// `TASK_STATE_INPUT_REQUIRED` as `input-required`.
    static func stateName(_ state: TaskState) -> String {
        state.rawValue.replacingOccurrences(of: "TASK_STATE_", with: "").lowercased()
            .replacingOccurrences(of: "_", with: "-")
    }

    /// The content of parts as text: text as is, data as JSON, URLs and bytes by reference.
    static func text(of parts: [Part]) -> String {
        parts.map { part in
            switch part.content {
            case .text(let text): text
            case .url(let url): "<\(url)>"
            case .raw(let bytes): "<\(bytes.count) bytes\(part.mediaType.map { " of \($0)" } ?? "")>"
            case .data(let value): (try? compactJSON(value)) ?? "<data>"
            }
        }.joined(separator: "\n")
    }

    /// One line for one stream event.
    static func line(for event: StreamResponse) -> String {
        switch event {
        case .task(let task):
            "task \(task.id) \(stateName(task.status.state))" + suffix(task.status.message)
        case .message(let message):
            "message: " + text(of: message.parts)
        case .statusUpdate(let update):
            "status \(stateName(update.status.state))" + suffix(update.status.message)
        case .artifactUpdate(let update):
            "artifact \(update.artifact.name ?? update.artifact.artifactId)\(update.append ? " (+)" : ""): "
                + text(of: update.artifact.parts).replacingOccurrences(of: "\n", with: "\\n")
        }
    }

    private static func suffix(_ message: Message?) -> String {
        guard let message, !message.parts.isEmpty else { return "" }
        return ": " + text(of: message.parts).replacingOccurrences(of: "\n", with: "\\n")
    }
}
