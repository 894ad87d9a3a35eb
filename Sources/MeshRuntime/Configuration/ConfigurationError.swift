/// A configuration file or environment variable that cannot be used, said in one line.
///
/// It names the file (or `environment`), the position when the YAML gave one, the field path such as
/// `agents[2].replicas` or `skills[0].settings.topK`, the problem and the offending value, e.g.
/// `agents/worker-b.yaml:12:23: skills[0].settings.topK: must be at least 1 (got '0')`.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as the caller named it (e.g. `agents/worker-b.yaml`), or `environment` for variables.
    public var file: String
    /// The 1-based line of the offending value, when known.
    public var line: Int?
    /// The 1-based column of the offending value, when known.
    public var column: Int?
    /// The field path (`pipelines.default.improve.from`) or variable name (`CAPABILITIES`); empty for the whole file.
    public var field: String
    /// What is wrong, e.g. `must be at least 1`.
    public var problem: String
    /// The offending value as written, when there is one.
    public var value: String?

    /// The file name for errors that come from environment variables.
    public static let environmentFile = "environment"

    public init(
        file: String, line: Int? = nil, column: Int? = nil, field: String, problem: String, value: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.problem = problem
        self.value = value
    }

    /// `file:line:column: field: problem (got 'value')`.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        var text = location + ": "
        if !field.isEmpty { text += field + ": " }
        text += problem
        if let value { text += " (got '\(value)')" }
        return text
    }
}
