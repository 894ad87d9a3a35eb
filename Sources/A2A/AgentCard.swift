/// The self-description an agent publishes at `/.well-known/agent-card.json`.
public struct AgentCard: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    @ListField public var supportedInterfaces: [AgentInterface]
    public var provider: AgentProvider?
    public var version: String
    public var documentationUrl: String?
    public var capabilities: AgentCapabilities
    public var securitySchemes: [String: SecurityScheme]?
    public var securityRequirements: [SecurityRequirement]?
    @ListField public var defaultInputModes: [String]
    @ListField public var defaultOutputModes: [String]
    @ListField public var skills: [AgentSkill]
    public var signatures: [AgentCardSignature]?
    public var iconUrl: String?

    public init(
        name: String, description: String, supportedInterfaces: [AgentInterface], provider: AgentProvider? = nil,
        version: String, documentationUrl: String? = nil, capabilities: AgentCapabilities,
        securitySchemes: [String: SecurityScheme]? = nil, securityRequirements: [SecurityRequirement]? = nil,
        defaultInputModes: [String], defaultOutputModes: [String], skills: [AgentSkill],
        signatures: [AgentCardSignature]? = nil, iconUrl: String? = nil
    ) {
        self.name = name
        self.description = description
        self.supportedInterfaces = supportedInterfaces
        self.provider = provider
        self.version = version
        self.documentationUrl = documentationUrl
        self.capabilities = capabilities
        self.securitySchemes = securitySchemes
        self.securityRequirements = securityRequirements
        self.defaultInputModes = defaultInputModes
        self.defaultOutputModes = defaultOutputModes
        self.skills = skills
        self.signatures = signatures
        self.iconUrl = iconUrl
    }

    /// The first interface with the given binding and a `1.x` protocol version.
    public func interface(binding: ProtocolBinding) -> AgentInterface? {
        supportedInterfaces.first {
            $0.protocolBinding == binding.rawValue && A2AProtocol.isSupported(version: $0.protocolVersion)
        }
    }
}

/// The transport bindings defined by the A2A specification.
public enum ProtocolBinding: String, Sendable, CaseIterable {
    case jsonRPC = "JSONRPC"
    case httpJSON = "HTTP+JSON"
    case grpc = "GRPC"
}

/// One URL at which the agent speaks one binding of one protocol version.
public struct AgentInterface: Sendable, Hashable, Codable {
    public var url: String
    public var protocolBinding: String
    public var tenant: String?
    public var protocolVersion: String

    public init(url: String, protocolBinding: String, tenant: String? = nil, protocolVersion: String = A2AProtocol.version) {
        self.url = url
        self.protocolBinding = protocolBinding
        self.tenant = tenant
        self.protocolVersion = protocolVersion
    }
}

/// The organization behind an agent.
public struct AgentProvider: Sendable, Hashable, Codable {
    public var url: String
    public var organization: String

    public init(url: String, organization: String) {
        self.url = url
        self.organization = organization
    }
}

/// Optional features an agent supports.
public struct AgentCapabilities: Sendable, Hashable, Codable {
    public var streaming: Bool?
    public var pushNotifications: Bool?
    public var extensions: [AgentExtension]?
    public var extendedAgentCard: Bool?

    public init(
        streaming: Bool? = nil, pushNotifications: Bool? = nil, extensions: [AgentExtension]? = nil,
        extendedAgentCard: Bool? = nil
    ) {
        self.streaming = streaming
        self.pushNotifications = pushNotifications
        self.extensions = extensions
        self.extendedAgentCard = extendedAgentCard
    }
}

/// A protocol extension the agent supports.
public struct AgentExtension: Sendable, Hashable, Codable {
    public var uri: String?
    public var description: String?
    public var required: Bool?
    public var params: JSONObject?

    public init(uri: String, description: String? = nil, required: Bool? = nil, params: JSONObject? = nil) {
        self.uri = uri
        self.description = description
        self.required = required
        self.params = params
    }
}

/// A capability the agent offers.
public struct AgentSkill: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var description: String
    @ListField public var tags: [String]
    public var examples: [String]?
    public var inputModes: [String]?
    public var outputModes: [String]?
    public var securityRequirements: [SecurityRequirement]?

    public init(
        id: String, name: String, description: String, tags: [String], examples: [String]? = nil,
        inputModes: [String]? = nil, outputModes: [String]? = nil, securityRequirements: [SecurityRequirement]? = nil
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.tags = tags
        self.examples = examples
        self.inputModes = inputModes
        self.outputModes = outputModes
        self.securityRequirements = securityRequirements
    }
}

/// A JWS signature over the card.
public struct AgentCardSignature: Sendable, Hashable, Codable {
    public var protected: String
    public var signature: String
    public var header: JSONObject?

    public init(protected: String, signature: String, header: JSONObject? = nil) {
        self.protected = protected
        self.signature = signature
        self.header = header
    }
}
