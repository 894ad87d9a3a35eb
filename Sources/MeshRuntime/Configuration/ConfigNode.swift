import A2A
import Yams

/// One value of a YAML file together with its file and field path, so that every problem found while reading
/// it becomes a ``ConfigurationError`` that names file, line, column, field and value.
struct ConfigNode {
    let node: Node
    let file: String
    /// The field path from the document root, e.g. `agents[2].replicas`; empty for the root.
    let path: String

    /// Parses `text`; nil when the document is empty. Syntax errors carry the line and column.
    static func parse(_ text: String, file: String) throws(ConfigurationError) -> ConfigNode? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ConfigurationError(file: file, field: "", problem: "cannot be parsed as YAML: \(error)")
        }
        return root.map { ConfigNode(node: $0, file: file, path: "") }
    }

    /// The error for `problem` at this value, quoting the value when it is a scalar.
    func failure(_ problem: String, quotingValue: Bool = true) -> ConfigurationError {
        ConfigurationError(
            file: file, line: node.mark?.line, column: node.mark?.column, field: path, problem: problem,
            value: quotingValue ? node.scalar?.string : nil)
    }

    /// True for `~`, `null` and a key without a value: these count as absent.
    var isNull: Bool {
        guard let scalar = node.scalar else { return false }
        return node.tag.rawValue == Tag.Name.null.rawValue && scalar.style == .plain
    }

    func child(_ key: String, _ node: Node) -> ConfigNode {
        ConfigNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// This value as a mapping whose keys must all be in `knownKeys`, so that a typo is an error, not ignored.
    func mapping(knownKeys: [String]?) throws(ConfigurationError) -> ConfigMapping {
        guard case .mapping(let mapping) = node else { throw failure("must be a mapping of fields") }
        var entries: [(key: String, value: ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let entry = child(key, valueNode)
            if let knownKeys, !knownKeys.contains(key) {
                let keyEntry = ConfigNode(node: keyNode, file: file, path: entry.path)
                throw keyEntry.failure(unknownFieldProblem(key, knownKeys: knownKeys), quotingValue: false)
            }
            entries.append((key, entry))
        }
        return ConfigMapping(owner: self, entries: entries)
    }

    /// This value as a list of values whose paths end in `[index]`.
    func sequence() throws(ConfigurationError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw failure("must be a list") }
        return sequence.enumerated().map { ConfigNode(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    /// A scalar as text; numbers and booleans are taken as written (`version: 1.0` is `"1.0"`).
    func string() throws(ConfigurationError) -> String {
        guard let scalar = node.scalar, !isNull else { throw failure("must be a text value") }
        return scalar.string
    }

    /// A whole number.
    func int() throws(ConfigurationError) -> Int {
        guard let value = node.int else { throw failure("must be a whole number") }
        return value
    }

    /// A finite number.
    func double() throws(ConfigurationError) -> Double {
        guard let value = node.float, value.isFinite else { throw failure("must be a number") }
        return value
    }

    /// A list of text values.
    func strings() throws(ConfigurationError) -> [String] {
        var result: [String] = []
        for item in try sequence() { result.append(try item.string()) }
        return result
    }

    /// Any value as JSON, for free-form settings: YAML's resolved types decide numbers, booleans and null.
    func json() throws(ConfigurationError) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int, .float: return node.float.map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence:
            var items: [JSONValue] = []
            for item in try sequence() { items.append(try item.json()) }
            return .array(items)
        case .mapping:
            var object: JSONObject = [:]
            for entry in try mapping(knownKeys: nil).entries { object[entry.key] = try entry.value.json() }
            return .object(object)
        case .alias:
            throw failure("is an alias that cannot be resolved", quotingValue: false)
        }
    }
}

/// The fields of one YAML mapping, with null values counting as absent.
struct ConfigMapping {
    let owner: ConfigNode
    let entries: [(key: String, value: ConfigNode)]

    /// The value of `key`; nil when it is missing or null.
    subscript(key: String) -> ConfigNode? {
        entries.first { $0.key == key && !$0.value.isNull }?.value
    }

    /// The value of `key`, or an error at the mapping that names the missing field.
    func required(_ key: String) throws(ConfigurationError) -> ConfigNode {
        guard let value = self[key] else {
            let field = owner.path.isEmpty ? key : "\(owner.path).\(key)"
            throw ConfigurationError(
                file: owner.file, line: owner.node.mark?.line, column: owner.node.mark?.column, field: field,
                problem: "is required")
        }
        return value
    }
}
