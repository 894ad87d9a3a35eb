import A2AServer
import Foundation
import Logging

/// `mesh.yaml`'s `webhooks:` block: where task webhooks and A2A push notifications may go, how they are signed,
/// and how hard each delivery is tried before it goes to the webhook dead-letter stream.
///
/// Client-supplied URLs (the master's `POST /task` `webhook`, push configs set through the A2A API) may not
/// reach loopback, link-local, private or metadata addresses unless ``allowPrivateNetworks`` is on or
/// ``allowHosts`` lists the host. The mesh's own agents are always allowed: each agent lets a push reach its own
/// URL and the URLs of the peers its discovery sees, so the master's `/result` on 127.0.0.1 keeps working in a
/// local mesh without opening loopback to everyone.
public struct WebhookSettings: Sendable, Hashable {
    /// `allowPrivateNetworks`; env `MESH_WEBHOOK_ALLOW_PRIVATE=1` turns it on.
    public var allowPrivateNetworks: Bool
    /// `allowHosts`: names, `name:port`, addresses or `*.suffix` allowed whatever they resolve to.
    public var allowHosts: [String]
    /// `signingSecret`, the HMAC-SHA256 key of `X-Mesh-Signature`; empty: deliveries are not signed.
    /// Env `MESH_WEBHOOK_SECRET` overrides it. Never logged.
    public var signingSecret: String
    /// `maxAttempts` per delivery, at least 1.
    public var maxAttempts: Int
    /// `backoffMs`: the first retry's delay; it doubles per attempt (up to 30 s), with jitter.
    public var backoffMilliseconds: Int

    public init(
        allowPrivateNetworks: Bool = false, allowHosts: [String] = [], signingSecret: String = "",
        maxAttempts: Int = 5, backoffMilliseconds: Int = 500
    ) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.allowHosts = allowHosts
        self.signingSecret = signingSecret
        self.maxAttempts = maxAttempts
        self.backoffMilliseconds = backoffMilliseconds
    }

    /// The retries these settings ask for.
    public var retryPolicy: WebhookRetryPolicy {
        WebhookRetryPolicy(
            maxAttempts: maxAttempts, initialBackoff: .milliseconds(backoffMilliseconds), maxBackoff: .seconds(30))
    }

    /// The guard these settings ask for; `isMeshOrigin` says which origins are the mesh's own agents.
    public func guardrail(
        isMeshOrigin: @escaping @Sendable (_ scheme: String, _ host: String, _ port: Int) -> Bool = { _, _, _ in false }
    ) -> WebhookGuard {
        WebhookGuard(allowPrivateNetworks: allowPrivateNetworks, allowHosts: allowHosts, isMeshOrigin: isMeshOrigin)
    }

    /// The poster these settings ask for; the mesh's own agents (`origins`) are always allowed.
    func poster(origins: MeshOrigins, logger: Logger) -> WebhookPoster {
        WebhookPoster(
            guardrail: guardrail(isMeshOrigin: origins.contains), policy: retryPolicy, signingSecret: signingSecret,
            logger: logger)
    }

    /// The environment variables that override these settings.
    static let environmentVariables = ["MESH_WEBHOOK_SECRET", "MESH_WEBHOOK_ALLOW_PRIVATE"]

    /// These settings with `MESH_WEBHOOK_SECRET` and `MESH_WEBHOOK_ALLOW_PRIVATE` applied.
    public func applying(environment: [String: String]) throws(ConfigurationError) -> WebhookSettings {
        let environment = environment.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        var result = self
        if let secret = environment["MESH_WEBHOOK_SECRET"] { result.signingSecret = secret }
        if let allow = environment["MESH_WEBHOOK_ALLOW_PRIVATE"] {
            switch allow.lowercased() {
            case "1", "true", "yes": result.allowPrivateNetworks = true
            case "0", "false", "no": result.allowPrivateNetworks = false
            default:
                throw ConfigurationError(
                    file: ConfigurationError.environmentFile, field: "MESH_WEBHOOK_ALLOW_PRIVATE",
                    problem: "must be 1 or 0", value: allow)
            }
        }
        return result
    }
}

extension MeshConfiguration {
    /// `webhooks: { allowPrivateNetworks, allowHosts, signingSecret, maxAttempts, backoffMs }`.
    static func parseWebhooks(_ node: ConfigNode) throws(ConfigurationError) -> WebhookSettings {
        let map = try node.mapping(knownKeys: [
            "allowPrivateNetworks", "allowHosts", "signingSecret", "maxAttempts", "backoffMs",
        ])
        var settings = WebhookSettings()
        if let allow = map["allowPrivateNetworks"] {
            guard let value = allow.node.bool else { throw allow.failure("must be true or false") }
            settings.allowPrivateNetworks = value
        }
        if let hosts = map["allowHosts"] {
            for item in try hosts.sequence() {
                let host = try item.string()
                guard !host.isEmpty, !host.contains("/") else {
                    throw item.failure("must be a host name, name:port, address or *.suffix (not a URL)")
                }
                settings.allowHosts.append(host)
            }
        }
        if let secret = map["signingSecret"] {
            // A secret: errors must not quote it.
            guard let text = secret.node.scalar?.string else {
                throw secret.failure("must be a text value", quotingValue: false)
            }
            settings.signingSecret = text
        }
        if let attempts = map["maxAttempts"] {
            settings.maxAttempts = try attempts.int()
            guard settings.maxAttempts >= 1 else { throw attempts.failure("must be at least 1") }
        }
        if let backoff = map["backoffMs"] {
            settings.backoffMilliseconds = try backoff.int()
            guard settings.backoffMilliseconds >= 0 else { throw backoff.failure("must be 0 or more") }
        }
        return settings
    }

    /// `limits: { maxBodyBytes, maxJSONDepth, maxParts, maxPartBytes }` onto the A2A limits of every agent.
    static func parseLimits(_ node: ConfigNode) throws(ConfigurationError) -> A2ALimits {
        let map = try node.mapping(knownKeys: ["maxBodyBytes", "maxJSONDepth", "maxParts", "maxPartBytes"])
        var limits = A2ALimits()
        func positive(_ key: String) throws(ConfigurationError) -> Int? {
            guard let value = map[key] else { return nil }
            let number = try value.int()
            guard number >= 1 else { throw value.failure("must be at least 1") }
            return number
        }
        if let value = try positive("maxBodyBytes") { limits.maxBodyBytes = value }
        if let value = try positive("maxJSONDepth") { limits.maxJSONDepth = value }
        if let value = try positive("maxParts") { limits.maxParts = value }
        if let value = try positive("maxPartBytes") { limits.maxPartBytes = value }
        return limits
    }
}
