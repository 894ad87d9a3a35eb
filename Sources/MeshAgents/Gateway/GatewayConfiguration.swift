import AsyncHTTPClient
import CloudMap
import Foundation

/// One link of the fallback chain: a provider kind and, optionally, the model to ask it for.
public struct ProviderChoice: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case openai, bedrock, anthropic, gemini, offline
    }
    public var kind: Kind
    public var model: String?

    public init(_ kind: Kind, model: String? = nil) {
        self.kind = kind
        self.model = model
    }

    /// `kind` or `kind:model` (a model may itself hold colons, as Bedrock ids do).
    public init(parsing text: String) throws(GatewayConfigurationError) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first, let kind = Kind(rawValue: name.lowercased()) else {
            throw GatewayConfigurationError(
                field: "LLM_PROVIDER",
                "unknown provider '\(text)'; use \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(kind, model: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil)
    }

    public var description: String { model.map { "\(kind.rawValue):\($0)" } ?? kind.rawValue }
}

/// A configuration value that cannot be used: which variable or flag, and why.
public struct GatewayConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// How the gateway reaches its providers and what it does around them.
public struct GatewayConfiguration: Sendable {
    /// The fallback chain, tried in order; empty means `offline`.
    public var providers: [ProviderChoice] = []
    /// The model for links that name none (`LLM_MODEL`); the offline provider ignores it.
    public var model: String?
    /// The deadline of one provider call, including a streamed body.
    public var timeout: Duration = .seconds(60)
    /// Retries per provider on 429, 5xx and broken connections, before moving down the chain.
    public var maxRetries = 2
    /// The first backoff; it doubles per retry (with jitter) unless `Retry-After` says otherwise.
    public var retryBaseDelay: Duration = .milliseconds(250)
    /// A `Retry-After` longer than this moves on to the next provider instead of waiting.
    public var maxRetryWait: Duration = .seconds(30)
    /// Calls in flight per provider; more wait.
    public var concurrencyPerProvider = 16
    /// How long cached responses live; nil disables the cache.
    public var cacheTTL: Duration?
    public var openAIBaseURL = "https://api.openai.com/v1"
    public var openAIKey: Secret?
    public var anthropicBaseURL = "https://api.anthropic.com"
    public var anthropicKey: Secret?
    public var anthropicVersion = "2023-06-01"
    public var geminiBaseURL = "https://generativelanguage.googleapis.com/v1beta"
    public var geminiKey: Secret?
    public var awsRegion: String?
    public var awsCredentials: AWSCredentials?
    /// Overrides `https://bedrock-runtime.<region>.amazonaws.com` (VPC endpoints, tests).
    public var bedrockEndpoint: String?

    public init() {}

    /// Reads `LLM_PROVIDER`, `LLM_MODEL`, `LLM_TIMEOUT_SECONDS`, `LLM_CACHE_TTL_SECONDS`, `LLM_MAX_RETRIES`,
    /// `LLM_CONCURRENCY`, `OPENAI_BASE_URL`, `OPENAI_API_KEY`, `ANTHROPIC_BASE_URL`, `ANTHROPIC_API_KEY`,
    /// `GEMINI_BASE_URL`, `GEMINI_API_KEY`, `AWS_REGION`, the AWS credential variables and
    /// `BEDROCK_ENDPOINT_URL`. Each `*_API_KEY` may instead be a file named by `*_API_KEY_FILE`.
    public static func fromEnvironment(_ environment: [String: String]) throws -> GatewayConfiguration {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        func seconds(_ name: String) throws -> Duration? {
            guard let text = value(name) else { return nil }
            guard let number = Double(text), number >= 0 else {
                throw GatewayConfigurationError(field: name, "must be a number of seconds, got '\(text)'")
            }
            return .milliseconds(Int64(number * 1000))
        }
        func count(_ name: String) throws -> Int? {
            guard let text = value(name) else { return nil }
            guard let number = Int(text), number >= 0 else {
                throw GatewayConfigurationError(field: name, "must be a whole number, got '\(text)'")
            }
            return number
        }
        var configuration = GatewayConfiguration()
        configuration.providers = try (value("LLM_PROVIDER") ?? "").split(separator: ",")
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map { try ProviderChoice(parsing: String($0)) }
        configuration.model = value("LLM_MODEL")
        configuration.timeout = try seconds("LLM_TIMEOUT_SECONDS") ?? configuration.timeout
        configuration.cacheTTL = try seconds("LLM_CACHE_TTL_SECONDS").flatMap { $0 > .zero ? $0 : nil }
        configuration.maxRetries = try count("LLM_MAX_RETRIES") ?? configuration.maxRetries
        configuration.concurrencyPerProvider = max(1, try count("LLM_CONCURRENCY") ?? configuration.concurrencyPerProvider)
        configuration.openAIBaseURL = value("OPENAI_BASE_URL") ?? configuration.openAIBaseURL
        configuration.openAIKey = try Secret.load("OPENAI_API_KEY", environment: environment)
        configuration.anthropicBaseURL = value("ANTHROPIC_BASE_URL") ?? configuration.anthropicBaseURL
        configuration.anthropicKey = try Secret.load("ANTHROPIC_API_KEY", environment: environment)
        configuration.anthropicVersion = value("ANTHROPIC_VERSION") ?? configuration.anthropicVersion
        configuration.geminiBaseURL = value("GEMINI_BASE_URL") ?? configuration.geminiBaseURL
        configuration.geminiKey = try Secret.load("GEMINI_API_KEY", environment: environment)
        configuration.awsRegion = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION")
        configuration.awsCredentials = AWSCredentials.fromEnvironment(environment)
        configuration.bedrockEndpoint = value("BEDROCK_ENDPOINT_URL")
        return configuration
    }

    /// The providers of the chain, each with its model; throws when a link lacks its key or region.
    public func makeProviders(client: HTTPClient) throws -> [(provider: any LLMProvider, model: String?)] {
        let chain = providers.isEmpty ? [ProviderChoice(.offline)] : providers
        return try chain.map { choice in
            let model = choice.kind == .offline ? nil : choice.model ?? self.model
            switch choice.kind {
            case .offline:
                return (OfflineProvider(), nil)
            case .openai:
                return (OpenAIProvider(baseURL: openAIBaseURL, apiKey: openAIKey, defaultModel: "gpt-4o-mini", client: client), model)
            case .anthropic:
                guard let anthropicKey else { throw GatewayConfigurationError(field: "ANTHROPIC_API_KEY", "is required for the anthropic provider") }
                let provider = AnthropicProvider(
                    baseURL: anthropicBaseURL, apiKey: anthropicKey, version: anthropicVersion,
                    defaultModel: "claude-3-5-haiku-latest", client: client)
                return (provider, model)
            case .gemini:
                guard let geminiKey else { throw GatewayConfigurationError(field: "GEMINI_API_KEY", "is required for the gemini provider") }
                return (GeminiProvider(baseURL: geminiBaseURL, apiKey: geminiKey, defaultModel: "gemini-2.0-flash", client: client), model)
            case .bedrock:
                guard let awsRegion else { throw GatewayConfigurationError(field: "AWS_REGION", "is required for the bedrock provider") }
                guard let awsCredentials else {
                    throw GatewayConfigurationError(
                        field: "AWS_ACCESS_KEY_ID", "and AWS_SECRET_ACCESS_KEY are required for the bedrock provider")
                }
                let provider = BedrockProvider(
                    region: awsRegion, credentials: awsCredentials, endpoint: bedrockEndpoint,
                    defaultModel: "anthropic.claude-3-haiku-20240307-v1:0", client: client)
                return (provider, model)
            }
        }
    }
}
