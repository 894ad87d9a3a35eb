import ArgumentParser

/// `mesh cancel ID`: cancels a queued or running task, and the steps it has running on workers.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a queued or running task.")

    @Argument(help: "The task id.")
    var id: String

    @Flag(help: "Print the master's JSON answer (the task).")
    var json = false

    @OptionGroup var master: MasterOptions

    func run() async throws {
        let client = master.client()
        try await MasterOutput.run("cancel") {
            let reply = try await client.cancel(taskId: id)
            print(json ? MasterOutput.prettyJSON(reply.body) : "task \(reply.value.id) \(reply.value.state)")
        }
    }
}
