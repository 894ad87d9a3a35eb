import A2A
import Foundation

/// What runs a skill: one of the built-in behaviours that a worker chooses by its YAML alone.
public enum SkillKind: String, Sendable, Hashable, CaseIterable {
    /// A prompt template sent through the llm-gateway.
    case llm
    /// Ranked retrieval from the knowledge base in Redis.
    case retrieve
    /// Scores a draft against criteria and returns `{score, feedback}`.
    case evaluate
    /// Writes the final deliverable as an artifact.
    case finalize
    /// Forwards the input to a URL.
    case http
    /// The master's own skill; reserved for the built-in master.
    case orchestrate
    /// The llm-gateway's own skill; reserved for the built-in gateway.
    case gateway
}

/// A skill's settings, typed by its kind; the YAML's `settings:` map after validation.
public enum SkillSettings: Sendable, Hashable {
    case llm(LLMSkillSettings)
    case retrieve(RetrieveSkillSettings)
    case evaluate(EvaluateSkillSettings)
    case finalize(FinalizeSkillSettings)
    case http(HTTPSkillSettings)
    /// Free-form settings for the master, which reads what it needs.
    case orchestrate(JSONObject)
    /// Free-form settings for the gateway, which reads what it needs.
    case gateway(JSONObject)

    /// The kind these settings belong to.
    public var kind: SkillKind {
        switch self {
        case .llm: .llm
        case .retrieve: .retrieve
        case .evaluate: .evaluate
        case .finalize: .finalize
        case .http: .http
        case .orchestrate: .orchestrate
        case .gateway: .gateway
        }
    }
}

/// Settings of an `llm` skill: `prompt`, `model`, `temperature`.
public struct LLMSkillSettings: Sendable, Hashable {
    /// The placeholders a prompt template may use.
    public static let placeholders = ["input", "memory"]

    /// The template; `{{input}}` becomes the task's input and `{{memory}}` the context's shared memory.
    public var prompt: String
    /// The model to ask for; nil lets the gateway choose.
    public var model: String?
    /// Sampling temperature (0...2); nil lets the provider choose.
    public var temperature: Double?

    public init(prompt: String = "{{input}}", model: String? = nil, temperature: Double? = nil) {
        self.prompt = prompt
        self.model = model
        self.temperature = temperature
    }

    /// The prompt with its placeholders replaced.
    public func render(input: String, memory: String) -> String {
        prompt.replacingOccurrences(of: "{{input}}", with: input).replacingOccurrences(of: "{{memory}}", with: memory)
    }
}

/// Settings of a `retrieve` skill: `topK`.
public struct RetrieveSkillSettings: Sendable, Hashable {
    /// How many chunks to return, at least 1.
    public var topK: Int

    public init(topK: Int = 5) {
        self.topK = topK
    }
}

/// Settings of an `evaluate` skill: `rubric`, `threshold`, `judge`.
public struct EvaluateSkillSettings: Sendable, Hashable {
    /// Who scores the draft.
    public enum Judge: String, Sendable, Hashable, CaseIterable {
        /// Deterministic checks of the rubric's criteria.
        case rubric
        /// A model through the llm-gateway, given the rubric.
        case llm
    }

    /// The criteria a draft is scored against.
    public var rubric: [String]
    /// The score (0...1) at which a draft passes.
    public var threshold: Double
    public var judge: Judge

    public init(rubric: [String], threshold: Double = 0.7, judge: Judge = .rubric) {
        self.rubric = rubric
        self.threshold = threshold
        self.judge = judge
    }
}

/// Settings of a `finalize` skill: `format`, `title`.
public struct FinalizeSkillSettings: Sendable, Hashable {
    /// The deliverable's format.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case markdown
    }

    public var format: Format
    /// The deliverable's heading; nil derives one from the input.
    public var title: String?

    public init(format: Format = .markdown, title: String? = nil) {
        self.format = format
        self.title = title
    }
}

/// Settings of an `http` skill: `url`, `method`, `timeoutSeconds`.
public struct HTTPSkillSettings: Sendable, Hashable {
    /// The methods a forward may use.
    public static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]

    /// Where the input is forwarded (http or https).
    public var url: String
    public var method: String
    /// How long the forward may take, more than 0.
    public var timeoutSeconds: Double

    public init(url: String, method: String = "POST", timeoutSeconds: Double = 30) {
        self.url = url
        self.method = method
        self.timeoutSeconds = timeoutSeconds
    }
}
