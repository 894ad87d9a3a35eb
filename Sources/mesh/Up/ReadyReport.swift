import A2A
import Foundation
import ServiceLifecycle

/// Waits until every agent answers, then prints the table of agents, where Redis and the registry are, and
/// how to send a first task; and marks `up.json` as running.
///
/// When some agent does not answer within ``timeout``, the table is printed anyway and says so.
final class ReadyReport: Service, CustomStringConvertible {
    let agents: [ChildSupervisor]
    let timeout: Duration
    let console: UpConsole
    let status: UpStatus
    /// Lines under the table: Redis, registry, state file.
    let footer: [(label: String, text: String)]
    let started: ContinuousClock.Instant
    /// Fills an empty knowledge base once the agents answer.
    let seed: KnowledgeSeed?

    init(
        agents: [ChildSupervisor], timeout: Duration, console: UpConsole, status: UpStatus,
        footer: [(label: String, text: String)], started: ContinuousClock.Instant, seed: KnowledgeSeed? = nil
    ) {
        self.seed = seed
        self.agents = agents
        self.timeout = timeout
        self.console = console
        self.status = status
        self.footer = footer
        self.started = started
    }

    var description: String { "ReadyReport" }

    func run() async throws {
        let outcome = await waitUntilOpen(agents.map(\.ready), timeout: timeout)
        if outcome == .stopping { return }
        let rows = await withTaskGroup(of: (Int, Row).self) { group in
            for (index, agent) in agents.enumerated() {
                group.addTask { (index, await self.row(for: agent.spec)) }
            }
            var rows: [(Int, Row)] = []
            for await row in group { rows.append(row) }
            return rows.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var lines = [""]
        if case .timedOut(let names) = outcome {
            lines.append(
                console.bold(
                    "mesh is up, but \(names.joined(separator: ", ")) did not answer within \(format(timeout))")
                    + " (restarting with backoff)")
        } else {
            lines.append(
                console.bold("mesh is up: \(agents.count) agents answered in \(format(ContinuousClock.now - started))"))
        }
        lines += Self.table(rows).map { "  " + $0 }
        lines.append("")
        var footer = footer
        if let seeded = await seed?.run() { footer.insert(("knowledge", seeded), at: 1) }
        let width = footer.map(\.label.count).max() ?? 0
        lines += footer.map { "  " + $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.text }
        lines.append("")
        lines.append("  In another terminal: " + console.bold("mesh task \"Explain the A2A protocol\" --follow"))
        lines.append("  Stop the mesh with Ctrl-C.")
        lines.append("")
        console.block(lines)
        status.update { $0.status = "running" }
        try? await gracefulShutdown()
    }

    struct Row: Sendable {
        var agent: String
        var url: String
        var pid: String
        var health: String
        var skills: String
    }

    private func row(for spec: ChildSpec) async -> Row {
        let pid = status.snapshot.processes.first { $0.name == spec.label }?.pid.map(String.init) ?? "-"
        var health = "not answering"
        if let ping = try? await httpGet(spec.url + "/ping"), ping.status == 200 {
            let answer = try? JSONSerialization.jsonObject(with: ping.body) as? [String: Any]
            health = answer?["status"] as? String ?? "answers"
        }
        var skills = spec.skills
        if let card = try? await httpGet(spec.url + "/.well-known/agent-card.json"), card.status == 200,
            let decoded = try? A2AJSON.makeDecoder().decode(AgentCard.self, from: card.body)
        {
            skills = decoded.skills.map(\.id)
        }
        return Row(
            agent: spec.label, url: spec.url, pid: pid, health: health, skills: skills.joined(separator: ", "))
    }

    /// The rows under a header, in aligned columns.
    static func table(_ rows: [Row]) -> [String] {
        let header = Row(agent: "AGENT", url: "URL", pid: "PID", health: "HEALTH", skills: "SKILLS")
        let all = [header] + rows
        let widths = [
            all.map(\.agent.count).max()!, all.map(\.url.count).max()!, all.map(\.pid.count).max()!,
            all.map(\.health.count).max()!,
        ]
        return all.map { row in
            zip([row.agent, row.url, row.pid, row.health], widths)
                .map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }
                .joined(separator: "  ") + "  " + row.skills
        }
    }
}
