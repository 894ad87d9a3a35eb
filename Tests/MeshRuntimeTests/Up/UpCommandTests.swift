import Foundation
import MeshTesting
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `mesh up` as a real process: Redis over TLS with an ACL user, the registry, agents with replicas,
/// restarts, ordered shutdown and `up.json`.
@Suite("mesh up", .serialized, .timeLimit(.minutes(6)))
struct UpCommandTests {
    @Test func runsTheMeshRestartsAKilledAgentAndStopsInOrder() async throws {
        try await HeavyTests.exclusive { try await self.runsTheMeshRestartsAKilledAgentAndStopsInOrderBody() }
    }

    func runsTheMeshRestartsAKilledAgentAndStopsInOrderBody() async throws {
        let registryPort = try freeLoopbackPort()
        let fixture = try UpFixture(
            agents: [("llm-gateway", 1), ("worker-b", 2), ("worker-c", 1)],
            discovery: "modes: [registry]\n  registry: { url: \"http://127.0.0.1:\(registryPort)\" }")
        let up = try fixture.launch()
        do {
            let output = try await waitForOutput(up, containing: "mesh is up")
            for name in ["llm-gateway", "worker-b", "worker-b#2", "worker-c"] {
                #expect(output.contains("started \(name) (pid"), "\(name) was not started")
            }
            // Start order: Redis and the registry answer before the gateway starts, the gateway before workers.
            let started = { (name: String) in output.range(of: "started \(name) (pid")?.lowerBound }
            let ready = { (name: String) in output.range(of: "\(name) is ready at")?.lowerBound }
            #expect(try #require(ready("redis")) < (try #require(started("registry"))))
            #expect(try #require(ready("registry")) < (try #require(started("llm-gateway"))))
            #expect(try #require(ready("llm-gateway")) < (try #require(started("worker-b"))))

            // The table: every instance with its URL and health.
            let state = try fixture.state()
            #expect(state.status == "running")
            #expect(state.pid == up.pid)
            let agents = state.processes.filter { $0.agent != nil }
            #expect(agents.map(\.name) == ["llm-gateway", "worker-b", "worker-b#2", "worker-c"])
            for agent in agents {
                let line = output.split(separator: "\n").first { $0.contains(" \(agent.url) ") }
                #expect(line?.contains("Healthy") == true, "table line for \(agent.name): \(String(describing: line))")
                #expect(try await ping(agent.url).status == "Healthy")
            }
            #expect(agents.first { $0.name == "worker-b" }?.url == "http://127.0.0.1:\(fixture.ports["worker-b"]!)")
            // The agents share this host's cores: one event loop each, unless the caller set MESH_EVENT_LOOPS.
            let loops = ProcessInfo.processInfo.environment["MESH_EVENT_LOOPS"].flatMap { $0.isEmpty ? nil : $0 } ?? "1"
            for agent in agents {
                let environ = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(try #require(agent.pid))/environ"))
                let variables = environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                #expect(variables.contains("MESH_EVENT_LOOPS=\(loops)"), "\(agent.name)")
            }
            #expect(output.contains("rediss://mesh:***@127.0.0.1:\(fixture.redisPort)"))
            #expect(output.contains("mesh task \"Explain the A2A protocol\" --follow"))

            // up.json holds the password, so only its owner may read it; it names Redis and the CA.
            let mode = try FileManager.default.attributesOfItem(atPath: fixture.upFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let password = try fixture.password()
            #expect(password.count >= 16)
            #expect(state.redis.url == "rediss://mesh:\(password)@127.0.0.1:\(fixture.redisPort)")
            #expect(state.redis.caFile == fixture.caFile)
            #expect(!output.contains(password), "the password is never printed")

            // Without a mesh key in mesh.yaml, mesh up makes one (0600) and agents then take only mesh tokens.
            let keyFile = (fixture.stateDir as NSString).appendingPathComponent("mesh.key")
            #expect(try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int == 0o600)
            #expect(output.contains("made a mesh key for agent-to-agent tokens in \(keyFile)"))
            let worker = try #require(agents.first { $0.name == "worker-c" }?.url)
            let refused = try await rawRequest(
                worker + "/", method: .POST, headers: [("Content-Type", "application/json")])
            #expect(refused.status == 401, "a worker of mesh up refuses calls without a mesh token")

            // Redis: TLS with the ACL user answers; plain TCP and a wrong password do not.
            let tls = ["--tls", "--cacert", fixture.caFile, "--no-auth-warning"]
            let pong = try await redisCLI(
                port: fixture.redisPort, tls + ["--user", "mesh", "--pass", password, "PING"])
            #expect(pong.output == "PONG")
            let plain = try await redisCLI(port: fixture.redisPort, ["--user", "mesh", "--pass", password, "PING"])
            #expect(plain.output != "PONG", "plain TCP: \(plain)")
            let wrong = try await redisCLI(
                port: fixture.redisPort, tls + ["--user", "mesh", "--pass", "wrong", "PING"])
            #expect(wrong.output.contains("WRONGPASS") || wrong.output.contains("NOAUTH"), "\(wrong)")
            let anonymous = try await redisCLI(port: fixture.redisPort, tls + ["PING"])
            #expect(anonymous.output.contains("NOAUTH"), "the default user is off: \(anonymous)")

            // A killed agent comes back on the same URL with a new pid.
            let victim = try #require(state.process("worker-c"))
            let oldPid = try #require(victim.pid)
            #expect(kill(oldPid, SIGKILL) == 0)
            try await waitForOutput(up, containing: "worker-c was killed by SIGKILL", timeout: .seconds(10))
            try await waitForOutput(up, containing: "worker-c answers again", timeout: .seconds(30))
            let restarted = try #require(try fixture.state().process("worker-c"))
            #expect(restarted.pid != nil && restarted.pid != oldPid)
            #expect(try await ping(victim.url).status == "Healthy")

            // SIGTERM: everything stops, master side first and Redis last, and up.json says so.
            let pids = try fixture.state().processes.compactMap(\.pid)
            #expect(pids.count == 6)
            #expect(kill(up.pid, SIGTERM) == 0)
            let status = try await waitForExit(up, timeout: .seconds(45))
            #expect(status == 0, "mesh up exit status \(String(describing: status))")
            for pid in pids { #expect(!isAlive(pid), "pid \(pid) still runs") }
            let log = up.standardOutput()
            let stopped = { (name: String) in log.range(of: "\(name) stopped (")?.lowerBound }
            let workers = try ["worker-b", "worker-b#2", "worker-c"].map { try #require(stopped($0), "\($0)") }
            let gateway = try #require(stopped("llm-gateway"))
            let registry = try #require(stopped("registry"))
            let redis = try #require(stopped("redis"))
            #expect(workers.allSatisfy { $0 < gateway })
            #expect(gateway < registry)
            #expect(registry < redis)
            let final = try fixture.state()
            #expect(final.status == "stopped")
            #expect(final.processes.allSatisfy { $0.pid == nil })
            up.removeLogs()
            fixture.remove()
        } catch {
            await cleanUp(up, fixture: fixture)
            throw error
        }
    }

    @Test func aBadMeshFileExitsOneNamingItAndStartsNothing() async throws {
        let fixture = try UpFixture(
            agents: [("worker-c", 1)], configText: "agents:\n  - { name: worker-c, replicas: 0 }\n")
        let up = try fixture.launch()
        defer { up.removeLogs() }
        let status = try await waitForExit(up, timeout: .seconds(20))
        #expect(status.map { ($0 >> 8) & 0xFF } == 1)
        let stderr = up.standardError()
        #expect(stderr.contains(fixture.configFile), "\(stderr)")
        #expect(stderr.contains("replicas"), "\(stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.stateDir), "nothing was prepared or started")
        if up.isRunning { await up.terminate() }
        fixture.remove()
    }

    @Test func anAgentThatKeepsCrashingIsRestartedWhileTheOthersRun() async throws {
        try await HeavyTests.exclusive { try await self.anAgentThatKeepsCrashingIsRestartedWhileTheOthersRunBody() }
    }

    func anAgentThatKeepsCrashingIsRestartedWhileTheOthersRunBody() async throws {
        let fixture = try UpFixture(agents: [("worker-b", 1), ("worker-c", 1)])
        // Holding worker-c's port makes every start of worker-c fail until it is let go.
        let blocker = try PortBlocker(port: try #require(fixture.ports["worker-c"]))
        let up = try fixture.launch(["--ready-timeout", "4"])
        do {
            let output = try await waitForOutput(up, containing: "mesh is up, but worker-c did not answer")
            #expect(output.contains("port \(fixture.ports["worker-c"]!) of worker-c"), "a note names the busy port")
            let workerB = try #require(try fixture.state().process("worker-b"))
            #expect(try await ping(workerB.url).status == "Healthy")
            // Backoff doubles from 0.5 s with every crash.
            let crashes = try await waitForOutput(up, containing: "restarting in 1.0 s", timeout: .seconds(30))
            #expect(crashes.contains("worker-c exited with status 1 after"))
            #expect(crashes.contains("restarting in 0.5 s"))
            #expect(crashes.contains("restarted worker-c (pid"))

            blocker.release()
            try await waitForOutput(up, containing: "worker-c is ready at", timeout: .seconds(30))
            let workerC = try #require(try fixture.state().process("worker-c"))
            #expect(try await ping(workerC.url).status == "Healthy")
            #expect(try await ping(workerB.url).status == "Healthy")
            #expect(kill(up.pid, SIGTERM) == 0)
            #expect(try await waitForExit(up, timeout: .seconds(45)) == 0)
            up.removeLogs()
            fixture.remove()
        } catch {
            blocker.release()
            await cleanUp(up, fixture: fixture)
            throw error
        }
    }

    @Test func aSecondUpReusesPasswordCertificatesAndDataAndStopsLeftovers() async throws {
        try await HeavyTests.exclusive {
            try await self.aSecondUpReusesPasswordCertificatesAndDataAndStopsLeftoversBody()
        }
    }

    func aSecondUpReusesPasswordCertificatesAndDataAndStopsLeftoversBody() async throws {
        let fixture = try UpFixture(agents: [("worker-c", 1)])
        let first = try fixture.launch()
        var leftovers: [Int32] = []
        do {
            try await waitForOutput(first, containing: "mesh is up")
            let password = try fixture.password()
            let ca = try String(contentsOfFile: fixture.caFile, encoding: .utf8)
            let tls = ["--tls", "--cacert", fixture.caFile, "--no-auth-warning", "--user", "mesh", "--pass", password]
            #expect(try await redisCLI(port: fixture.redisPort, tls + ["SET", "up-test:kept", "yes"]).output == "OK")
            // mesh up dies without stopping its children: the next one must stop them before it starts.
            leftovers = try fixture.state().processes.compactMap(\.pid)
            kill(first.pid, SIGKILL)
            _ = try await waitForExit(first, timeout: .seconds(5))
            let redisPid = try #require(try fixture.state().process("redis")?.pid)
            #expect(isAlive(redisPid), "redis-server outlives a killed mesh up")

            let second = try fixture.launch()
            do {
                let output = try await waitForOutput(second, containing: "mesh is up")
                #expect(output.contains("left running by an earlier mesh up"))
                #expect(leftovers.allSatisfy { !isAlive($0) })
                #expect(try fixture.password() == password)
                #expect(try String(contentsOfFile: fixture.caFile, encoding: .utf8) == ca)
                #expect(!output.contains("made a CA"))
                #expect(try await redisCLI(port: fixture.redisPort, tls + ["GET", "up-test:kept"]).output == "yes")
                #expect(kill(second.pid, SIGTERM) == 0)
                #expect(try await waitForExit(second, timeout: .seconds(45)) == 0)
                second.removeLogs()
            } catch {
                await cleanUp(second, fixture: fixture)
                throw error
            }
            first.removeLogs()
            fixture.remove()
        } catch {
            await cleanUp(first, fixture: fixture)
            for pid in leftovers where isAlive(pid) { kill(pid, SIGKILL) }
            throw error
        }
    }
}

/// A listening socket on 127.0.0.1:`port`, so that nothing else can bind it until ``release()``.
final class PortBlocker: Sendable {
    private let fd: Mutex<Int32?>

    init(port: Int) throws {
        // Close-on-exec: `mesh up` and its children must not inherit the socket, or releasing it frees nothing.
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketFD, 1) == 0 else {
            close(socketFD)
            throw UpTestFailure()
        }
        fd = Mutex(socketFD)
    }

    /// Closes the socket; safe to call twice.
    func release() {
        fd.withLock { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }
}
