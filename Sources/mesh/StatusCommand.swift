import ArgumentParser

/// `mesh status`: what the master sees: agents with their health and load, the queue and the dead letters.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the master's agents, queue, running tasks and dead letters.")

    @Flag(help: "Print the master's JSON answer.")
    var json = false

    @OptionGroup var master: MasterOptions

    func run() async throws {
        let client = master.client()
        try await MasterOutput.run("status") {
            let reply = try await client.status()
            print(json ? MasterOutput.prettyJSON(reply.body) : Self.text(reply.value, master: client.baseURL))
        }
    }

    /// A table of agents and a line of counts.
    static func text(_ status: MeshStatus, master: String) -> String {
        let agents =
            status.agents.isEmpty
            ? "no agents known to the master"
            : MasterOutput.table(
                ["AGENT", "HEALTH", "IN-FLIGHT", "SKILLS", "URL"],
                status.agents.map { agent in
                    [
                        agent.name, agent.health ?? "?", agent.inFlight.map(String.init) ?? "?",
                        (agent.skills ?? []).joined(separator: ","), agent.url ?? "",
                    ]
                })
        func count(_ value: Int?) -> String { value.map(String.init) ?? "?" }
        return agents + "\n\n"
            + "master \(master): queue \(count(status.queue?.length)) (pending \(count(status.queue?.pending))), "
            + "running \(count(status.running)), dead letters \(count(status.dlq))"
    }
}
