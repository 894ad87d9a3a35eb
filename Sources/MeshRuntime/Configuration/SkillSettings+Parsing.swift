import A2A
import Foundation

extension SkillSettings {
    /// Reads `settings:` for `kind`; `node` is nil when the skill has none, which gives every field its default.
    static func parse(kind: SkillKind, node: ConfigNode?, skill: ConfigNode) throws(ConfigurationError) -> Self {
        switch kind {
        case .orchestrate, .gateway:
            // The built-in agents read settings of their own; they are passed through as JSON.
            var object: JSONObject = [:]
            if let node {
                guard case .object(let value) = try node.json() else {
                    throw node.failure("must be a mapping of fields")
                }
                object = value
            }
            return kind == .orchestrate ? .orchestrate(object) : .gateway(object)
        case .llm: return .llm(try parseLLM(node, skill: skill))
        case .retrieve: return .retrieve(try parseRetrieve(node, skill: skill))
        case .evaluate: return .evaluate(try parseEvaluate(node, skill: skill))
        case .finalize: return .finalize(try parseFinalize(node, skill: skill))
        case .http: return .http(try parseHTTP(node, skill: skill))
        }
    }

    /// The settings as a mapping with `known` fields; an empty one when the skill has no `settings:`.
    private static func fields(
        _ node: ConfigNode?, skill: ConfigNode, known: [String]
    ) throws(ConfigurationError) -> ConfigMapping {
        guard let node else { return ConfigMapping(owner: skill.child("settings", skill.node), entries: []) }
        return try node.mapping(knownKeys: known)
    }

    private static func parseLLM(_ node: ConfigNode?, skill: ConfigNode) throws(ConfigurationError) -> LLMSkillSettings
    {
        let map = try fields(node, skill: skill, known: ["prompt", "model", "temperature"])
        var settings = LLMSkillSettings()
        if let prompt = map["prompt"] {
            settings.prompt = try prompt.string()
            guard !settings.prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw prompt.failure("must not be empty")
            }
            for placeholder in placeholders(in: settings.prompt)
            where !LLMSkillSettings.placeholders.contains(placeholder) {
                throw prompt.failure(
                    "uses the unknown placeholder {{\(placeholder)}} (known: {{input}}, {{memory}})",
                    quotingValue: false)
            }
        }
        if let model = map["model"] { settings.model = try model.string() }
        if let temperature = map["temperature"] {
            let value = try temperature.double()
            guard (0...2).contains(value) else { throw temperature.failure("must be between 0 and 2") }
            settings.temperature = value
        }
        return settings
    }

    private static func parseRetrieve(
        _ node: ConfigNode?, skill: ConfigNode
    ) throws(ConfigurationError) -> RetrieveSkillSettings {
        let map = try fields(node, skill: skill, known: ["topK"])
        var settings = RetrieveSkillSettings()
        if let topK = map["topK"] {
            settings.topK = try topK.int()
            guard settings.topK >= 1 else { throw topK.failure("must be at least 1") }
        }
        return settings
    }

    private static func parseEvaluate(
        _ node: ConfigNode?, skill: ConfigNode
    ) throws(ConfigurationError) -> EvaluateSkillSettings {
        let map = try fields(node, skill: skill, known: ["rubric", "threshold", "judge"])
        var settings = EvaluateSkillSettings(rubric: [])
        if let judge = map["judge"] {
            guard let value = EvaluateSkillSettings.Judge(rawValue: try judge.string()) else {
                throw judge.failure("must be one of: rubric, llm")
            }
            settings.judge = value
        }
        if let rubric = map["rubric"] {
            for criterion in try rubric.sequence() {
                let text = try criterion.string()
                guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw criterion.failure("must not be an empty criterion")
                }
                settings.rubric.append(text)
            }
        }
        if settings.judge == .rubric, settings.rubric.isEmpty {
            let field = map["rubric"] ?? map.owner
            throw ConfigurationError(
                file: field.file, line: field.node.mark?.line, column: field.node.mark?.column,
                field: map["rubric"]?.path ?? "\(map.owner.path).rubric",
                problem: "needs at least one criterion when judge is rubric")
        }
        if let threshold = map["threshold"] {
            settings.threshold = try unitInterval(threshold)
        }
        return settings
    }

    private static func parseFinalize(
        _ node: ConfigNode?, skill: ConfigNode
    ) throws(ConfigurationError) -> FinalizeSkillSettings {
        let map = try fields(node, skill: skill, known: ["format", "title"])
        var settings = FinalizeSkillSettings()
        if let format = map["format"] {
            guard let value = FinalizeSkillSettings.Format(rawValue: try format.string()) else {
                throw format.failure("must be one of: markdown")
            }
            settings.format = value
        }
        if let title = map["title"] { settings.title = try title.string() }
        return settings
    }

    private static func parseHTTP(
        _ node: ConfigNode?, skill: ConfigNode
    ) throws(ConfigurationError) -> HTTPSkillSettings {
        let map = try fields(node, skill: skill, known: ["url", "method", "timeoutSeconds"])
        let url = try map.required("url")
        var settings = HTTPSkillSettings(url: try httpURL(url))
        if let method = map["method"] {
            let value = try method.string().uppercased()
            guard HTTPSkillSettings.methods.contains(value) else {
                throw method.failure("must be one of: \(HTTPSkillSettings.methods.joined(separator: ", "))")
            }
            settings.method = value
        }
        if let timeout = map["timeoutSeconds"] {
            settings.timeoutSeconds = try timeout.double()
            guard settings.timeoutSeconds > 0 else { throw timeout.failure("must be more than 0") }
        }
        return settings
    }
}

/// A number between 0 and 1 inclusive, such as a score threshold.
func unitInterval(_ node: ConfigNode) throws(ConfigurationError) -> Double {
    let value = try node.double()
    guard (0...1).contains(value) else { throw node.failure("must be between 0 and 1") }
    return value
}

/// An absolute `http://` or `https://` URL with a host.
func httpURL(_ node: ConfigNode) throws(ConfigurationError) -> String {
    let text = try node.string()
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
        scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
    else { throw node.failure("must be an http:// or https:// URL") }
    return text
}

/// The names inside `{{...}}` in a template.
private func placeholders(in template: String) -> [String] {
    var names: [String] = []
    var rest = template[...]
    while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
        names.append(String(rest[open.upperBound..<close.lowerBound]))
        rest = rest[close.upperBound...]
    }
    return names
}
