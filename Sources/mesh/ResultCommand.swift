import ArgumentParser

/// `mesh result ID`: a task's result from the master, waiting for it with `--wait`.
struct ResultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "result",
        abstract: "Print a task's result (its Markdown/text artifacts).",
        discussion: """
            Exits 0 when the task completed, 1 when it failed or was canceled (the error goes to stderr), and 2 \
            when it is still running after --wait seconds.
            """)

    @Argument(help: "The task id that `mesh task` printed.")
    var id: String

    @Option(help: "Seconds to wait for the task to end (0-300).")
    var wait = 0

    @Flag(help: "Print the master's JSON answer.")
    var json = false

    @OptionGroup var master: MasterOptions

    func validate() throws {
        guard (0...300).contains(wait) else { throw ValidationError("--wait must be between 0 and 300 seconds") }
    }

    func run() async throws {
        let client = master.client()
        try await MasterOutput.run("result") {
            let reply = try await client.result(taskId: id, wait: wait)
            guard reply.status == 200 else {
                if json { print(MasterOutput.prettyJSON(reply.body)) }
                let detail = reply.value.message.map { ": \($0)" } ?? ""
                ProgressDisplay.writeStandardError(
                    "mesh result: task \(id) is still \(reply.value.state)\(detail); "
                        + "wait for it with `mesh result \(id) --wait 30`\n")
                throw MasterOutput.stillRunning
            }
            try MasterOutput.printResult(reply, json: json, command: "result")
        }
    }
}
