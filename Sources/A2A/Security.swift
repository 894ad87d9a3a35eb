/// A set of security schemes that together satisfy a requirement, each with its scopes.
public struct SecurityRequirement: Sendable, Hashable, Codable {
    public var schemes: [String: StringList]

    public init(schemes: [String: StringList]) { self.schemes = schemes }
}

/// A list of strings (the proto's `StringList`).
public struct StringList: Sendable, Hashable, Codable {
    @ListField public var list: [String]

    public init(_ list: [String]) { self.list = list }
}

/// How a client authenticates: exactly one scheme.
public enum SecurityScheme: Sendable, Hashable {
    case apiKey(APIKeySecurityScheme)
    case httpAuth(HTTPAuthSecurityScheme)
    case oauth2(OAuth2SecurityScheme)
    case openIdConnect(OpenIdConnectSecurityScheme)
    case mutualTLS(MutualTlsSecurityScheme)
}

extension SecurityScheme: Codable {
    enum CodingKeys: String, CodingKey {
        case apiKeySecurityScheme, httpAuthSecurityScheme, oauth2SecurityScheme, openIdConnectSecurityScheme,
            mtlsSecurityScheme
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "expected exactly one security scheme"))
        }
        switch key {
        case .apiKeySecurityScheme: self = .apiKey(try container.decode(APIKeySecurityScheme.self, forKey: key))
        case .httpAuthSecurityScheme: self = .httpAuth(try container.decode(HTTPAuthSecurityScheme.self, forKey: key))
        case .oauth2SecurityScheme: self = .oauth2(try container.decode(OAuth2SecurityScheme.self, forKey: key))
        case .openIdConnectSecurityScheme:
            self = .openIdConnect(try container.decode(OpenIdConnectSecurityScheme.self, forKey: key))
        case .mtlsSecurityScheme: self = .mutualTLS(try container.decode(MutualTlsSecurityScheme.self, forKey: key))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .apiKey(let scheme): try container.encode(scheme, forKey: .apiKeySecurityScheme)
        case .httpAuth(let scheme): try container.encode(scheme, forKey: .httpAuthSecurityScheme)
        case .oauth2(let scheme): try container.encode(scheme, forKey: .oauth2SecurityScheme)
        case .openIdConnect(let scheme): try container.encode(scheme, forKey: .openIdConnectSecurityScheme)
        case .mutualTLS(let scheme): try container.encode(scheme, forKey: .mtlsSecurityScheme)
        }
    }
}

/// An API key sent in a header, query parameter or cookie.
public struct APIKeySecurityScheme: Sendable, Hashable, Codable {
    public var description: String?
    /// `header`, `query` or `cookie`.
    public var location: String
    public var name: String

    public init(description: String? = nil, location: String, name: String) {
        self.description = description
        self.location = location
        self.name = name
    }
}

/// HTTP authentication, e.g. `Bearer` with a `JWT` format.
public struct HTTPAuthSecurityScheme: Sendable, Hashable, Codable {
    public var description: String?
    public var scheme: String
    public var bearerFormat: String?

    public init(description: String? = nil, scheme: String, bearerFormat: String? = nil) {
        self.description = description
        self.scheme = scheme
        self.bearerFormat = bearerFormat
    }
}

/// OAuth 2.0 with one flow.
public struct OAuth2SecurityScheme: Sendable, Hashable, Codable {
    public var description: String?
    public var flows: OAuthFlows
    public var oauth2MetadataUrl: String?

    public init(description: String? = nil, flows: OAuthFlows, oauth2MetadataUrl: String? = nil) {
        self.description = description
        self.flows = flows
        self.oauth2MetadataUrl = oauth2MetadataUrl
    }
}

/// OpenID Connect discovery.
public struct OpenIdConnectSecurityScheme: Sendable, Hashable, Codable {
    public var description: String?
    public var openIdConnectUrl: String

    public init(description: String? = nil, openIdConnectUrl: String) {
        self.description = description
        self.openIdConnectUrl = openIdConnectUrl
    }
}

/// Mutual TLS.
public struct MutualTlsSecurityScheme: Sendable, Hashable, Codable {
    public var description: String?

    public init(description: String? = nil) { self.description = description }
}

/// The OAuth 2.0 flow (the proto's `oneof flow`), kept as its JSON fields.
public struct OAuthFlows: Sendable, Hashable, Codable {
    public var authorizationCode: OAuthFlow?
    public var clientCredentials: OAuthFlow?
    public var implicit: OAuthFlow?
    public var password: OAuthFlow?
    public var deviceCode: OAuthFlow?

    public init(
        authorizationCode: OAuthFlow? = nil, clientCredentials: OAuthFlow? = nil, implicit: OAuthFlow? = nil,
        password: OAuthFlow? = nil, deviceCode: OAuthFlow? = nil
    ) {
        self.authorizationCode = authorizationCode
        self.clientCredentials = clientCredentials
        self.implicit = implicit
        self.password = password
        self.deviceCode = deviceCode
    }
}

/// The fields of every OAuth flow message; each flow uses a subset.
public struct OAuthFlow: Sendable, Hashable, Codable {
    public var authorizationUrl: String?
    public var deviceAuthorizationUrl: String?
    public var tokenUrl: String?
    public var refreshUrl: String?
    public var scopes: [String: String]?
    public var pkceRequired: Bool?

    public init(
        authorizationUrl: String? = nil, deviceAuthorizationUrl: String? = nil, tokenUrl: String? = nil,
        refreshUrl: String? = nil, scopes: [String: String]? = nil, pkceRequired: Bool? = nil
    ) {
        self.authorizationUrl = authorizationUrl
        self.deviceAuthorizationUrl = deviceAuthorizationUrl
        self.tokenUrl = tokenUrl
        self.refreshUrl = refreshUrl
        self.scopes = scopes
        self.pkceRequired = pkceRequired
    }
}
