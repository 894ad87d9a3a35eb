import Foundation
import MeshRuntime
import Redis

extension UpCommand {
    /// Everything decided before the first process starts.
    struct Prepared {
        var plan: UpPlan
        var console: UpConsole
        var redis: RedisConfiguration
        var redisManaged: Bool
        var redisNote: String
        var registryNote: String?
        var configPath: String
        var stateDirectory: String
        var upFile: String
    }

    func prepare(_ mesh: MeshConfiguration) async throws -> Prepared {
        let configPath = absolutePath(config)
        let stateDirectory = absolutePath(stateDir)
        if mesh.discovery.modes.contains(.mdns) { try await UpPreflight.requireAvahi(configFile: config) }
        try FileManager.default.createDirectory(
            atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let upFile = (stateDirectory as NSString).appendingPathComponent("up.json")
        let executable = Self.executablePath()
        let earlyConsole = UpConsole(labels: [], colored: UpConsole.wantsColor(noColorFlag: noColor))
        try await UpPreflight.handleEarlierRun(upFile: upFile, console: earlyConsole)

        // Children get the mesh's Redis in REDIS_URL and friends, and no stray REDIS_* that could override it.
        // They share this host's cores, so each runs one event loop unless MESH_EVENT_LOOPS says otherwise.
        var environment = EventLoopCount.forSharedHost(
            ProcessInfo.processInfo.environment.filter { !RedisConfiguration.environmentVariables.contains($0.key) })
        var plan = UpPlan(redis: nil, registry: nil, agents: [], notes: [])
        let redis: RedisConfiguration
        let redisNote: String
        if let external = mesh.redis {
            try await UpPreflight.waitForRedis(external, timeout: .seconds(30), console: earlyConsole)
            redis = external
            redisNote = "\(external.redactedURL)  (from \(config) or REDIS_*; not started by mesh up)"
        } else {
            guard PortProbe.canBind(host: "127.0.0.1", port: redisPort) else {
                throw UpFailure(
                    "port \(redisPort) for the local Redis is in use (another mesh up or redis-server?); "
                        + "stop that or pick another with --redis-port")
            }
            let (local, certificates) = try LocalRedis.prepare(stateDirectory: stateDirectory, port: redisPort)
            redis = local.configuration
            plan.redis = local.spec(environment: environment)
            redisNote =
                "\(redis.redactedURL)  (CA \(local.certificates.caFile); password in \(local.passwordFile))"
            switch certificates {
            case .created:
                plan.notes.append("made a CA and server certificate for Redis in \(local.certificates.directory)")
            case .renewedServer:
                plan.notes.append("renewed Redis's server certificate in \(local.certificates.directory)")
            case .reused: break
            }
        }
        environment.merge(redis.childEnvironment) { _, new in new }
        if mesh.auth.meshKey.isEmpty {
            // Agents then call each other with mesh tokens; clients of the master are unaffected.
            let key = try MeshKeyFile.ensure(stateDirectory: stateDirectory)
            environment["MESH_KEY_FILE"] = key.path
            if key.created { plan.notes.append("made a mesh key for agent-to-agent tokens in \(key.path)") }
        }

        var reserved: Set<Int> = [redisPort]
        var registryNote: String?
        if mesh.discovery.modes.contains(.registry), let endpoint = mesh.discovery.registry.endpoint,
            let url = URLComponents(string: endpoint), UpPlan.isLocal(url)
        {
            let port = url.port ?? (url.scheme == "https" ? 443 : 80)
            reserved.insert(port)
            if await httpStatus(endpoint) != nil {
                registryNote = "\(endpoint)  (already running; not started by mesh up)"
            } else {
                plan.registry = UpPlan.registry(
                    url: endpoint, port: port, host: host, keyPrefix: mesh.keyPrefix, executable: executable,
                    environment: environment)
                registryNote = endpoint
            }
        } else if mesh.discovery.modes.contains(.registry) {
            registryNote = "\(mesh.discovery.registry.endpoint ?? "AWS Cloud Map")  (not on this host)"
        }
        let (agents, notes) = try UpPlan.agents(
            mesh: mesh, configPath: configPath, host: host, executable: executable, environment: environment,
            reservedPorts: reserved)
        plan.agents = agents
        plan.notes += notes
        let console = UpConsole(
            labels: plan.children.map(\.label), colored: UpConsole.wantsColor(noColorFlag: noColor))
        return Prepared(
            plan: plan, console: console, redis: redis, redisManaged: plan.redis != nil, redisNote: redisNote,
            registryNote: registryNote, configPath: configPath, stateDirectory: stateDirectory, upFile: upFile)
    }
}
