import ServiceLifecycle

/// One step of `mesh up`'s start order (Redis, registry, llm-gateway, workers, master) as a `Service`.
///
/// Its children start together once the earlier stages answer, and stop together when the `ServiceGroup`
/// shuts this stage down. The group lists the stages in start order, so it stops them in the reverse order.
final class SupervisorStage: Service, CustomStringConvertible {
    let role: ChildSpec.Role
    let supervisors: [ChildSupervisor]
    /// Infrastructure this stage cannot run without (Redis, the registry): not answering in time ends `mesh up`.
    let required: [ReadinessGate]
    /// Earlier agents: not answering in time is reported, then this stage starts anyway.
    let preferred: [ReadinessGate]
    let requiredTimeout: Duration
    let preferredTimeout: Duration
    let console: UpConsole

    init(
        role: ChildSpec.Role, supervisors: [ChildSupervisor], required: [ReadinessGate], preferred: [ReadinessGate],
        requiredTimeout: Duration, preferredTimeout: Duration, console: UpConsole
    ) {
        self.role = role
        self.supervisors = supervisors
        self.required = required
        self.preferred = preferred
        self.requiredTimeout = requiredTimeout
        self.preferredTimeout = preferredTimeout
        self.console = console
    }

    var description: String { "SupervisorStage(\(role))" }

    /// The gates of this stage's children.
    var gates: [ReadinessGate] { supervisors.map(\.ready) }

    func run() async throws {
        // One gate at a time, in start order: when Redis never answers, that is what to report, not the
        // registry that waited for it.
        let deadline = ContinuousClock.now + requiredTimeout
        for gate in required {
            switch await waitUntilOpen([gate], timeout: max(.zero, deadline - ContinuousClock.now)) {
            case .stopping: return
            case .timedOut:
                throw UpFailure("\(gate.name) did not answer within \(format(requiredTimeout)); see its lines above")
            case .open: break
            }
        }
        switch await waitUntilOpen(preferred, timeout: preferredTimeout) {
        case .stopping: return
        case .timedOut(let names):
            console.note(
                "\(names.joined(separator: ", ")) not answering after \(format(preferredTimeout)); starting \(role) anyway"
            )
        case .open: break
        }
        await withTaskGroup(of: Void.self) { group in
            for supervisor in supervisors {
                group.addTask { await supervisor.run() }
            }
        }
    }
}
