/// What each route of a host needs: nothing, a credential, a scope, or a mesh token.
///
/// Rules are tried in order; a pattern's `*` segment matches any one segment. Routes no rule names need a
/// credential.
public struct PathPolicy: Sendable {
    public enum Requirement: Sendable, Hashable {
        /// Anyone: the card and `/ping`.
        case open
        /// Any accepted credential.
        case authenticated
        /// A credential with this scope (mesh tokens have every scope).
        case scope(AuthScope)
        /// A mesh token only: agent-to-agent routes such as the push receiver.
        case mesh
    }

    public struct Rule: Sendable {
        /// `GET`, `POST`…; nil matches any method.
        public var method: String?
        public var pattern: String
        public var requirement: Requirement

        public init(_ method: String?, _ pattern: String, _ requirement: Requirement) {
            self.method = method
            self.pattern = pattern
            self.requirement = requirement
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    public func requirement(method: String, path: String) -> Requirement {
        let segments = Self.segments(path)
        for rule in rules where rule.method == nil || rule.method == method {
            let pattern = Self.segments(rule.pattern)
            guard pattern.count == segments.count else { continue }
            if zip(pattern, segments).allSatisfy({ $0 == "*" || $0 == $1 }) { return rule.requirement }
        }
        return .authenticated
    }

    private static func segments(_ path: String) -> [Substring] {
        let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return withoutQuery.split(separator: "/")
    }

    /// The card and `/ping` are public; everything else needs a credential.
    public static let agent = PathPolicy(rules: [
        Rule("GET", "/.well-known/agent-card.json", .open), Rule("HEAD", "/.well-known/agent-card.json", .open),
        Rule("GET", "/ping", .open), Rule("HEAD", "/ping", .open),
    ])

    /// The master's routes and their scopes. `POST /result` (the push receiver) takes only mesh tokens when
    /// `meshTokens` is true; otherwise its per-attempt token is the only check.
    public static func master(meshTokens: Bool) -> PathPolicy {
        var policy = agent
        policy.rules += [
            Rule("POST", "/task", .scope(.task)), Rule("POST", "/invocations", .scope(.task)),
            Rule("GET", "/task/*", .scope(.result)), Rule("GET", "/task/*/events", .scope(.result)),
            Rule("POST", "/task/*/cancel", .scope(.result)), Rule("GET", "/result/*", .scope(.result)),
            Rule("POST", "/result", meshTokens ? .mesh : .open),
            Rule("POST", "/dispatch", .scope(.dispatch)),
            Rule("GET", "/dlq", .scope(.dlq)), Rule("GET", "/dlq/webhooks", .scope(.dlq)),
            Rule("POST", "/dlq/*/replay", .scope(.dlq)),
            // A2A: JSON-RPC (mostly SendMessage) and HTTP+JSON's message and task resources.
            Rule("POST", "/", .scope(.task)), Rule("POST", "/message:send", .scope(.task)),
            Rule("POST", "/message:stream", .scope(.task)), Rule(nil, "/tasks", .scope(.result)),
            Rule(nil, "/tasks/*", .scope(.result)), Rule(nil, "/tasks/*/*", .scope(.result)),
            Rule(nil, "/tasks/*/*/*", .scope(.result)),
        ]
        return policy
    }
}
