import A2A
import ArgumentParser
import Foundation

/// `mesh dlq`: the tasks that failed their last attempt, and `mesh dlq replay` to queue one again.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "List dead-lettered tasks, or replay one.",
        subcommands: [DLQListCommand.self, DLQReplayCommand.self], defaultSubcommand: DLQListCommand.self)
}

/// `mesh dlq [list]`: the dead-letter queue as a table.
struct DLQListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List dead-lettered tasks.")

    @Flag(help: "Print the master's JSON answer.")
    var json = false

    @OptionGroup var master: MasterOptions

    func run() async throws {
        let client = master.client()
        try await MasterOutput.run("dlq") {
            let reply = try await client.deadLetters()
            print(json ? MasterOutput.prettyJSON(reply.body) : Self.text(reply.value))
        }
    }

    static func text(_ listing: DeadLetterListing) -> String {
        guard !listing.entries.isEmpty else { return "the dead-letter queue is empty" }
        let rows = listing.entries.map { entry in
            [
                entry.taskId, entry.skill ?? "", entry.attempts.map(String.init) ?? "",
                entry.failedAt.map(failedAtText) ?? "", (entry.reason ?? "").replacingOccurrences(of: "\n", with: " "),
            ]
        }
        let size = listing.size ?? listing.entries.count
        return MasterOutput.table(["TASK", "SKILL", "ATTEMPTS", "FAILED AT", "REASON"], rows)
            + "\n\n\(size) dead-lettered task\(size == 1 ? "" : "s"); replay one with `mesh dlq replay TASK`"
    }

    /// A time as sent (RFC 3339 text), or Unix seconds or milliseconds as RFC 3339.
    static func failedAtText(_ value: JSONValue) -> String {
        guard let number = value.numberValue else { return value.displayText }
        let seconds = number > 1e11 ? number / 1000 : number
        return Timestamp(Date(timeIntervalSince1970: seconds)).description
    }
}

/// `mesh dlq replay TASK`: queues a dead-lettered task again, from its failed step.
struct DLQReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay", abstract: "Queue a dead-lettered task again.")

    @Argument(help: "The id of the dead-lettered task.")
    var taskId: String

    @Flag(help: "Print the master's JSON answer.")
    var json = false

    @OptionGroup var master: MasterOptions

    func run() async throws {
        let client = master.client()
        try await MasterOutput.run("dlq replay") {
            let reply = try await client.replay(taskId: taskId)
            print(
                json
                    ? MasterOutput.prettyJSON(reply.body)
                    : MasterOutput.receiptLines(reply.value, baseURL: client.baseURL).joined(separator: "\n"))
        }
    }
}
