import Foundation
import ServiceLifecycle

/// Keeps one child running: starts it, passes its output on, notices when it answers, starts it again
/// with backoff when it ends, and stops it (SIGTERM, then SIGKILL after ``stopGrace``) on graceful shutdown.
final class ChildSupervisor: Sendable {
    let spec: ChildSpec
    let console: UpConsole
    let status: UpStatus
    /// Opens the first time the child answers its probe.
    let ready: ReadinessGate
    /// How long a child may take to exit after SIGTERM before it gets SIGKILL.
    let stopGrace: Duration

    init(spec: ChildSpec, console: UpConsole, status: UpStatus, stopGrace: Duration = .seconds(10)) {
        self.spec = spec
        self.console = console
        self.status = status
        self.ready = ReadinessGate(name: spec.label)
        self.stopGrace = stopGrace
    }

    private var label: String { spec.label }

    /// Runs the child until graceful shutdown (or cancellation), restarting it whenever it ends.
    func run() async {
        var backoff = RestartBackoff()
        var starts = 0
        while !isStopping {
            let child: ChildProcess
            do {
                child = try ChildProcess.spawn(
                    executable: spec.executable, arguments: spec.arguments, environment: spec.environment)
            } catch {
                let delay = backoff.delay(afterUptime: .zero)
                console.note("\(label): \(error); trying again in \(format(delay))")
                guard await sleepUnlessStopping(delay) else { return }
                continue
            }
            starts += 1
            status.setPid(child.pid, of: label)
            if starts == 1 {
                console.note("started \(label) (pid \(child.pid))")
            } else {
                console.note("restarted \(label) (pid \(child.pid), restart \(starts - 1))")
            }
            let started = ContinuousClock.now
            let (exit, stopped) = await supervise(child)
            status.setPid(nil, of: label)
            if stopped {
                console.note("\(label) stopped (\(exit))")
                return
            }
            let uptime = ContinuousClock.now - started
            let delay = backoff.delay(afterUptime: uptime)
            console.note("\(label) \(exit) after \(format(uptime)); restarting in \(format(delay))")
            guard await sleepUnlessStopping(delay) else {
                console.note("\(label) stays down: mesh up is stopping")
                return
            }
        }
    }

    private var isStopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    private enum Part {
        case output, readiness, drainTimeout
    }

    /// Runs one start of the child to its end; `stopped` tells whether the supervisor ended it.
    private func supervise(_ child: ChildProcess) async -> (exit: ExitStatus, stopped: Bool) {
        let ended = ReadinessGate(name: label)
        return await withTaskGroup(of: Part.self) { group in
            group.addTask { [console, label] in
                await ChildOutput.forward(child.output) { console.line(from: label, $0) }
                return .output
            }
            group.addTask {
                await self.watchReadiness(until: ended)
                return .readiness
            }
            let result = await waitForExit(child)
            ended.open()
            // Let the last lines through; a grandchild that kept the pipe open must not hold us up.
            group.addTask {
                await pauseEvenIfCancelled(.seconds(2))
                return .drainTimeout
            }
            while let part = await group.next() {
                if part == .output || part == .drainTimeout { break }
            }
            group.cancelAll()
            return result
        }
    }

    /// Probes the child until it answers or `ended` opens.
    private func watchReadiness(until ended: ReadinessGate) async {
        while !ended.isOpen, !Task.isCancelled {
            if await spec.probe.answers() {
                guard !ended.isOpen else { return }
                status.setReady(label)
                let first = !ready.isOpen
                ready.open()
                console.note(first ? "\(label) is ready at \(spec.url)" : "\(label) answers again at \(spec.url)")
                return
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Waits for the child to exit; on graceful shutdown sends SIGTERM, and SIGKILL after ``stopGrace``
    /// (at once when the task is cancelled).
    private func waitForExit(_ child: ChildProcess) async -> (ExitStatus, Bool) {
        var terminatedAt: ContinuousClock.Instant?
        var killed = false
        while true {
            if let exit = child.reap() { return (exit, terminatedAt != nil) }
            let cancelled = Task.isCancelled
            if terminatedAt == nil, cancelled || Task.isShuttingDownGracefully {
                console.note("stopping \(label) (pid \(child.pid), SIGTERM)")
                child.send(SIGTERM)
                terminatedAt = .now
            }
            if let terminatedAt, !killed, cancelled || ContinuousClock.now - terminatedAt > stopGrace {
                console.note("\(label) did not stop in time; sending SIGKILL to pid \(child.pid)")
                child.send(SIGKILL)
                killed = true
            }
            await pauseEvenIfCancelled(.milliseconds(25))
        }
    }
}

/// `0.5 s`, `12 s`, `2 min 5 s`.
func format(_ duration: Duration) -> String {
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    if seconds < 10 { return String(format: "%.1f s", seconds) }
    if seconds < 120 { return "\(Int(seconds.rounded())) s" }
    let whole = Int(seconds.rounded())
    return "\(whole / 60) min \(whole % 60) s"
}
