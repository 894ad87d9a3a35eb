import ArgumentParser
import Foundation
import Logging
import MeshRuntime
import ServiceLifecycle

extension UpCommand {
    /// The `ServiceGroup` that runs `prepared`: one stage per role in start order, then the ready report.
    func build(
        _ prepared: Prepared, mesh: MeshConfiguration, started: ContinuousClock.Instant
    ) -> (ServiceGroup, UpStatus) {
        let plan = prepared.plan
        let console = prepared.console
        let status = UpStatus(
            path: prepared.upFile,
            initial: UpStateFile(
                status: "starting", pid: getpid(), config: prepared.configPath, stateDir: prepared.stateDirectory,
                startedAt: timestamp(), stoppedAt: nil,
                redis: .init(
                    url: prepared.redis.childEnvironment["REDIS_URL"] ?? "", caFile: prepared.redis.caFile,
                    managed: prepared.redisManaged),
                processes: plan.children.map {
                    .init(
                        name: $0.label, agent: $0.agent, replica: $0.agent == nil ? nil : $0.replica, url: $0.url,
                        pid: nil, ready: false, skills: $0.agent == nil ? nil : $0.skills, command: $0.command)
                }))
        if let error = status.update({ _ in }) { console.note("cannot write \(prepared.upFile): \(error)") }
        for note in plan.notes { console.note(note) }

        let supervisors = plan.children.map { ChildSupervisor(spec: $0, console: console, status: status) }
        let byRole = Dictionary(grouping: supervisors, by: \.spec.role)
        var stages: [SupervisorStage] = []
        var infrastructure: [ReadinessGate] = []
        var agentsSoFar: [ReadinessGate] = []
        for role in ChildSpec.Role.allCases {
            guard let members = byRole[role], !members.isEmpty else { continue }
            let stage = SupervisorStage(
                role: role, supervisors: members, required: infrastructure, preferred: agentsSoFar,
                requiredTimeout: .seconds(30), preferredTimeout: .seconds(20), console: console)
            stages.append(stage)
            if role <= .registry { infrastructure += stage.gates } else { agentsSoFar += stage.gates }
        }
        var footer: [(label: String, text: String)] = [("redis", prepared.redisNote)]
        if let registryNote = prepared.registryNote { footer.append(("registry", registryNote)) }
        footer.append(("discovery", mesh.discovery.modes.map(\.rawValue).sorted().joined(separator: ", ")))
        footer.append(("state", prepared.upFile))
        let report = ReadyReport(
            agents: supervisors.filter { $0.spec.agent != nil }, timeout: .milliseconds(Int64(readyTimeout * 1000)),
            console: console, status: status, footer: footer, started: started,
            seed: KnowledgeSeed(
                redis: prepared.redis, keyPrefix: mesh.keyPrefix,
                directory: ((prepared.configPath as NSString).deletingLastPathComponent as NSString)
                    .appendingPathComponent("knowledge")))

        var logger = Logger(label: "mesh.up")
        logger.logLevel = .warning
        // Stages in start order: the group stops them in reverse, master first and Redis last.
        let services = (stages as [any Service]) + [report]
        var configuration = ServiceGroupConfiguration(
            services: services.map {
                ServiceGroupConfiguration.ServiceConfiguration(
                    service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup)
            },
            // SIGHUP too: a closed terminal should stop the mesh in order, not leave the children running.
            gracefulShutdownSignals: [.sigterm, .sigint, .sighup], logger: logger)
        // Each stage stops its children within their grace period; past this, everything is killed.
        configuration.maximumGracefulShutdownDuration = .seconds(15 * Int64(stages.count) + 5)
        return (ServiceGroup(configuration: configuration), status)
    }

    /// Runs the group until it has stopped every child, then marks `up.json` stopped.
    func runUntilStopped(_ group: ServiceGroup, status: UpStatus, console: UpConsole) async throws {
        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        status.update { file in
            file.status = "stopped"
            file.stoppedAt = timestamp()
            for index in file.processes.indices {
                file.processes[index].pid = nil
                file.processes[index].ready = false
            }
        }
        if let failure {
            console.note("mesh up failed: \(failure)")
            throw ExitCode.failure
        }
        console.note("every process has stopped")
    }
}
