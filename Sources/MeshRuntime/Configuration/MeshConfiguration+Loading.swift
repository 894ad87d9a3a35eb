import Foundation

extension MeshConfiguration {
    /// Reads `mesh.yaml` at `path` and every `agents/<name>.yaml` it lists (next to it), validates them all,
    /// and applies `environment` (``applying(environment:)``).
    ///
    /// Throws the first problem as one ``ConfigurationError`` naming the file, field and value: a YAML syntax
    /// error (with line and column), an unknown or missing field, a value out of range, a duplicate agent name,
    /// port or skill id, a missing agent file, or a bad environment variable. Nothing may start when it throws.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> MeshConfiguration {
        let parsed = try parse(text: try readText(path), file: path)
        var configuration = parsed.configuration
        let directory = (path as NSString).deletingLastPathComponent
        var portOwners: [Int: AgentDefinition] = [:]
        for (entry, nameNode) in zip(configuration.agents, parsed.agentNameNodes) {
            let relative = "agents/\(entry.name).yaml"
            let file = directory.isEmpty ? relative : (directory as NSString).appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: file) else {
                throw nameNode.failure("has no agent file: \(file) does not exist")
            }
            let (definition, portNode) = try AgentDefinition.parse(
                text: try readText(file), file: file, expectedName: entry.name)
            // Port 0 picks a free port at start, so it cannot clash.
            if definition.port != 0, let owner = portOwners[definition.port] {
                throw portNode.failure("is also the port of agent '\(owner.name)' (\(owner.file))")
            }
            portOwners[definition.port] = definition
            configuration.definitions[entry.name] = definition
        }
        return try configuration.applying(environment: environment)
    }

    /// The file's text, or an error that says why it cannot be read.
    static func readText(_ path: String) throws(ConfigurationError) -> String {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(file: path, field: "", problem: "does not exist")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(file: path, field: "", problem: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, field: "", problem: "is not UTF-8 text")
        }
        return text
    }
}
