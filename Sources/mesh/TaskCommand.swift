import ArgumentParser
import Foundation

/// `mesh task TEXT`: submits a task to the master and, with `--follow`, shows its progress and its result.
struct TaskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Submit a task to the master; --follow shows its progress and prints its result.",
        discussion: """
            Without --follow, prints the task id (first line) and its links. With --follow, shows each event on \
            stderr (a progress bar on a terminal, one line per event otherwise), resumes the event stream if the \
            connection drops, then prints the result's text artifacts (Markdown) on stdout. A failed or canceled \
            task prints its error and exits 1.
            """)

    @Argument(help: "The request, e.g. \"Explain the A2A protocol\".")
    var text: String

    @Option(help: "The pipeline to run (default: the master's default pipeline).")
    var pipeline: String?

    @Option(help: "Run this one skill instead of a pipeline.")
    var skill: String?

    @Option(name: .customLong("context-id"), help: "Continue this conversation (shared memory of the context).")
    var contextID: String?

    @Option(name: .customLong("idempotency-key"), help: "Submitting again with the same key returns the same task.")
    var idempotencyKey: String?

    @Option(help: "A URL the master notifies when the task ends.")
    var webhook: String?

    @Flag(help: "Follow the task's events until it ends, then print its result.")
    var follow = false

    @Flag(help: "Print JSON: the master's answer, or with --follow the final result.")
    var json = false

    @OptionGroup var master: MasterOptions

    func validate() throws {
        if pipeline != nil && skill != nil { throw ValidationError("--pipeline and --skill exclude each other") }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("the task's text must not be empty")
        }
    }

    func run() async throws {
        let client = master.client()
        try await MasterOutput.run("task") {
            let submission = TaskSubmission(
                input: text, pipeline: pipeline, skill: skill, contextId: contextID, webhook: webhook)
            let receipt = try await client.submit(submission, idempotencyKey: idempotencyKey)
            guard follow else {
                print(
                    json
                        ? MasterOutput.prettyJSON(receipt.body)
                        : MasterOutput.receiptLines(receipt.value, baseURL: client.baseURL).joined(separator: "\n"))
                return
            }
            var display = ProgressDisplay()
            display.note("task \(receipt.value.id) \(receipt.value.state)")
            let follower = TaskEventFollower(client: client, taskId: receipt.value.id)
            _ = try await follower.follow(
                onEvent: { display.show($0) }, onResume: { display.note($0) })
            display.finish()
            let result = try await Self.terminalResult(client, taskId: receipt.value.id)
            try MasterOutput.printResult(result, json: json, command: "task")
        }
    }

    /// The task's result once the master holds it; the task is known to have ended, so a few waits suffice.
    static func terminalResult(_ client: MasterClient, taskId: String) async throws -> MasterClient.Reply<TaskResult> {
        var reply = try await client.result(taskId: taskId, wait: 30)
        var waits = 1
        while reply.status != 200 && waits < 4 {
            reply = try await client.result(taskId: taskId, wait: 30)
            waits += 1
        }
        guard reply.status == 200 else {
            throw MasterClientError.invalidResponse(
                url: client.baseURL, reason: "task \(taskId) ended, but its result is still \(reply.value.state)")
        }
        return reply
    }
}
