import Yams

extension ConfigNode {
    /// A Yams parse error as a ``ConfigurationError`` at the line and column libyaml reported.
    static func syntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        func positioned(_ problem: String, _ context: YamlError.Context?, _ mark: Mark) -> ConfigurationError {
            var text = "YAML syntax error: \(problem)"
            if let context { text += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            return ConfigurationError(file: file, line: mark.line, column: mark.column, field: "", problem: text)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return positioned(problem, context, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return ConfigurationError(
                file: file, line: context.mark.line, column: context.mark.column, field: "",
                problem: "duplicate key \(keys) in one mapping")
        case .reader(let problem, _, _, _):
            return ConfigurationError(file: file, field: "", problem: "cannot be read as text: \(problem)")
        default:
            return ConfigurationError(file: file, field: "", problem: "cannot be parsed as YAML: \(error)")
        }
    }
}

/// `is not a known field (known: a, b); did you mean 'b'?`
func unknownFieldProblem(_ key: String, knownKeys: [String]) -> String {
    var problem = "is not a known field (known: \(knownKeys.joined(separator: ", ")))"
    let nearest = knownKeys.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
    if let nearest, nearest.1 <= max(1, min(3, nearest.0.count / 3)) { problem += "; did you mean '\(nearest.0)'?" }
    return problem
}

/// The Levenshtein distance, to suggest the field a typo meant.
func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let left = Array(lhs)
    let right = Array(rhs)
    guard !left.isEmpty else { return right.count }
    guard !right.isEmpty else { return left.count }
    var previous = Array(0...right.count)
    for (i, leftCharacter) in left.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: right.count)
        for (j, rightCharacter) in right.enumerated() {
            let substitution = previous[j] + (leftCharacter == rightCharacter ? 0 : 1)
            current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, substitution)
        }
        previous = current
    }
    return previous[right.count]
}
