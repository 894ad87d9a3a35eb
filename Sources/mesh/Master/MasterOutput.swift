import A2A
import ArgumentParser
import Foundation

/// How the master commands show answers: tables and text for people, the master's JSON with `--json`.
enum MasterOutput {
    /// The exit code of `mesh result` while the task still runs.
    static let stillRunning = ExitCode(2)

    /// The master's body re-encoded as pretty, key-sorted JSON (as sent when it is not JSON).
    static func prettyJSON(_ body: Data) -> String {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: body),
            let pretty = try? A2AJSON.makeEncoder(pretty: true).encode(value)
        else { return String(decoding: body, as: UTF8.self) }
        return String(decoding: pretty, as: UTF8.self)
    }

    /// A submitted (or replayed) task: its id first, for scripts, then its state and links.
    static func receiptLines(_ receipt: TaskReceipt, baseURL: String) -> [String] {
        var summary = "\(receipt.state)"
        if let pipeline = receipt.pipeline { summary += ", pipeline \(pipeline)" }
        if let skill = receipt.skill { summary += ", skill \(skill)" }
        if let context = receipt.contextId { summary += ", context \(context)" }
        var lines = [receipt.id, "  state   \(summary)"]
        let links = receipt.links
        for (name, path) in [
            ("self", links?.selfLink), ("events", links?.events), ("result", links?.result),
            ("cancel", links?.cancel),
        ] {
            guard let path else { continue }
            lines.append(
                "  " + name.padding(toLength: 8, withPad: " ", startingAt: 0) + absolute(path, baseURL: baseURL))
        }
        return lines
    }

    /// A link as the master gave it, made absolute against its base URL.
    static func absolute(_ path: String, baseURL: String) -> String {
        path.hasPrefix("/") ? baseURL + path : path
    }

    /// The text of a terminal task's artifacts, in order; parts that are not text show as JSON or a reference.
    static func artifactText(_ artifacts: [Artifact]) -> String {
        artifacts.map { artifact in
            artifact.parts.map { part in
                switch part.content {
                case .text(let text): text
                case .data(let value): prettyJSON((try? A2AJSON.encode(value)) ?? Data())
                case .url(let url): "<\(url)>"
                case .raw(let bytes): "<\(bytes.count) bytes\(part.mediaType.map { " of \($0)" } ?? "")>"
                }
            }.joined(separator: "\n")
        }.joined(separator: "\n\n")
    }

    /// Prints a terminal result: its JSON, or its artifacts' text; a failed or canceled task also says why
    /// on stderr and exits 1.
    static func printResult(_ reply: MasterClient.Reply<TaskResult>, json: Bool, command: String) throws {
        let result = reply.value
        if json {
            print(prettyJSON(reply.body))
        } else if !result.isUnsuccessful {
            let text = artifactText(result.artifacts ?? [])
            if text.isEmpty {
                ProgressDisplay.writeStandardError(
                    "mesh \(command): task \(result.id) \(result.state) without artifacts\n")
            } else {
                print(text.hasSuffix("\n") ? String(text.dropLast()) : text)
            }
        }
        guard result.isUnsuccessful else { return }
        let reason = result.error.map(\.displayText) ?? result.message ?? "no reason given"
        ProgressDisplay.writeStandardError("mesh \(command): task \(result.id) \(result.state): \(reason)\n")
        throw ExitCode.failure
    }

    /// Aligned columns; the last column is not padded.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let cells = [header] + rows
        let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Runs a master command's body, turning any failure other than an exit code into one line on stderr
    /// and exit code 1.
    static func run(_ command: String, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let validation as ValidationError {
            throw validation
        } catch {
            throw ClientOutput.fail(command, error)
        }
    }
}
