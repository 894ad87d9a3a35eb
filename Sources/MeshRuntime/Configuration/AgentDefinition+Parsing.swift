import Foundation

extension AgentDefinition {
    static let knownFields = ["name", "description", "version", "port", "skills"]
    static let knownSkillFields = [
        "id", "name", "description", "tags", "examples", "inputModes", "outputModes", "kind", "settings",
    ]

    /// Reads and validates `agents/<name>.yaml`; `file` is how errors name it, and `expectedName` is the name
    /// that `mesh.yaml` lists it under. Also returns the `port` value, for errors about clashing ports.
    static func parse(
        text: String, file: String, expectedName: String? = nil
    ) throws(ConfigurationError) -> (AgentDefinition, port: ConfigNode) {
        guard let root = try ConfigNode.parse(text, file: file) else {
            throw ConfigurationError(
                file: file, field: "", problem: "is empty; an agent needs name, description, port and skills")
        }
        let map = try root.mapping(knownKeys: knownFields)
        let nameNode = try map.required("name")
        let name = try nameNode.string()
        guard isValidAgentName(name) else { throw nameNode.failure(agentNameRule) }
        if let expectedName, name != expectedName {
            throw nameNode.failure("must be '\(expectedName)', the name of its file and of its entry in mesh.yaml")
        }
        let portNode = try map.required("port")
        let port = try portNode.int()
        guard (0...65535).contains(port) else { throw portNode.failure("must be a port number (0-65535)") }
        let skillsNode = try map.required("skills")
        var skills: [SkillDefinition] = []
        for item in try skillsNode.sequence() {
            let skill = try SkillDefinition.parse(item)
            if skills.contains(where: { $0.id == skill.id }) {
                throw item.child("id", item.node.mapping?["id"] ?? item.node).failure("is a duplicate skill id")
            }
            skills.append(skill)
        }
        guard !skills.isEmpty else { throw skillsNode.failure("needs at least one skill", quotingValue: false) }
        let definition = AgentDefinition(
            name: name, description: try nonEmpty(try map.required("description")),
            version: try map["version"].map { node throws(ConfigurationError) in try nonEmpty(node) } ?? "1.0.0",
            port: port, skills: skills, file: file)
        return (definition, portNode)
    }
}

extension SkillDefinition {
    static func parse(_ node: ConfigNode) throws(ConfigurationError) -> SkillDefinition {
        let map = try node.mapping(knownKeys: AgentDefinition.knownSkillFields)
        let idNode = try map.required("id")
        let id = try idNode.string()
        guard isValidSkillID(id) else {
            throw idNode.failure(
                "must be letters, digits, '.', '_' or '-' (it is used in lists and registry attributes)")
        }
        let kindNode = try map.required("kind")
        guard let kind = SkillKind(rawValue: try kindNode.string()) else {
            throw kindNode.failure("must be one of: \(SkillKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let settings = try SkillSettings.parse(kind: kind, node: map["settings"], skill: node)
        func list(_ key: String) throws(ConfigurationError) -> [String]? {
            try map[key].map { node throws(ConfigurationError) in try node.strings() }
        }
        // A markdown deliverable says so on the card, so clients can ask for it.
        var outputModes = try list("outputModes")
        if outputModes == nil, case .finalize(let finalize) = settings, finalize.format == .markdown {
            outputModes = ["text/markdown"]
        }
        return SkillDefinition(
            id: id, name: try nonEmpty(try map.required("name")),
            description: try nonEmpty(try map.required("description")), tags: try list("tags") ?? [],
            examples: try list("examples") ?? [], inputModes: try list("inputModes"), outputModes: outputModes,
            settings: settings)
    }
}

let agentNameRule = "must be lower-case letters, digits and '-' (it names the file agents/<name>.yaml)"

/// Lower-case letters, digits and inner dashes: safe as a file name, DNS-SD instance name and Redis key part.
func isValidAgentName(_ name: String) -> Bool {
    !name.isEmpty && !name.hasPrefix("-") && !name.hasSuffix("-")
        && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
}

/// Letters, digits, `.`, `_` and `-`: a skill id goes into comma lists, mDNS TXT and `skill.<id>=1` attributes.
func isValidSkillID(_ id: String) -> Bool {
    !id.isEmpty
        && id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || ".-_".unicodeScalars.contains($0)
        }
}

/// A text value that is not blank.
func nonEmpty(_ node: ConfigNode) throws(ConfigurationError) -> String {
    let text = try node.string()
    guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw node.failure("must not be empty") }
    return text
}
