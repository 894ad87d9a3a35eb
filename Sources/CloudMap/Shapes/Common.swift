/// `Tag`: a key and a value on a namespace or service.
public struct Tag: Codable, Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case key = "Key", value = "Value" }
}

/// A List* filter: `Name`, `Values` and an optional `Condition` (EQ when absent).
public struct ListFilter<Name: WireEnum>: Codable, Sendable, Equatable {
    public var name: Name
    public var values: [String]
    public var condition: FilterCondition?

    public init(name: Name, values: [String], condition: FilterCondition? = nil) {
        self.name = name
        self.values = values
        self.condition = condition
    }

    enum CodingKeys: String, CodingKey { case name = "Name", values = "Values", condition = "Condition" }

    /// Whether `candidate` satisfies this filter's condition and values.
    public func matches(_ candidate: String) -> Bool {
        switch condition ?? .eq {
        case .eq, .in: return values.contains(candidate)
        case .beginsWith: return values.contains { candidate.hasPrefix($0) }
        case .between: return values.count == 2 && candidate >= values[0] && candidate <= values[1]
        }
    }
}

/// An output shape with no members: `{}`.
public struct EmptyResponse: Codable, Sendable, Equatable {
    public init() {}
}
