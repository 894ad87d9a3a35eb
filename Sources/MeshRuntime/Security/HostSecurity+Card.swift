import A2A

extension HostSecurity {
    /// Scheme names on the card.
    public enum SchemeName {
        public static let apiKey = "apiKey"
        public static let bearer = "bearer"
        public static let meshToken = "meshToken"
    }

    /// The schemes this agent accepts, as its card advertises them.
    public var securitySchemes: [String: SecurityScheme] {
        var schemes: [String: SecurityScheme] = [:]
        if accepts.contains(.apiKey) {
            schemes[SchemeName.apiKey] = .apiKey(
                APIKeySecurityScheme(
                    description: "An API key of mesh.yaml's auth.apiKeys (also accepted as Authorization: Bearer)",
                    location: "header", name: "X-API-Key"))
        }
        if accepts.contains(.jwt) {
            var about = "A JWT"
            let jwt = verifier.settings.jwt
            if !jwt.issuer.isEmpty { about += " issued by \(jwt.issuer)" }
            if !jwt.audience.isEmpty { about += " for audience \(jwt.audience)" }
            schemes[SchemeName.bearer] = .httpAuth(
                HTTPAuthSecurityScheme(description: about, scheme: "Bearer", bearerFormat: "JWT"))
        }
        if accepts.contains(.mesh) {
            schemes[SchemeName.meshToken] = .httpAuth(
                HTTPAuthSecurityScheme(
                    description:
                        "A short-lived HS256 JWT signed with the mesh key (iss and aud mesh:\(realm)); only agents of this mesh have it",
                    scheme: "Bearer", bearerFormat: "JWT"))
        }
        return schemes
    }

    /// `card` advertising ``securitySchemes``, any one of which satisfies the requirements; unchanged when the
    /// agent also lets anonymous callers in.
    public func secured(_ card: AgentCard) -> AgentCard {
        guard !accepts.contains(.anonymous) else { return card }
        var card = card
        let schemes = securitySchemes
        card.securitySchemes = schemes
        card.securityRequirements = schemes.keys.sorted().map { SecurityRequirement(schemes: [$0: StringList([])]) }
        return card
    }
}
