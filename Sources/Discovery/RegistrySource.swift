import CloudMap
import Foundation
import Synchronization

/// Peers registered in a Cloud Map service (the embedded registry or AWS), healthy ones only.
///
/// A poll first asks `DiscoverInstancesRevision` and reuses the last list when nothing changed; health
/// changes do not bump the revision, so a full `DiscoverInstances` still runs every `fullRefreshInterval`.
public struct RegistrySource: DirectorySource {
    public let client: CloudMapClient
    public let namespace: String
    public let service: String
    public let fullRefreshInterval: Duration
    /// Attributes every listed instance must have (`QueryParameters`), e.g. `["skill.plan": "1"]`.
    public let attributes: [String: String]?
    private let cache = Cache()

    public var kind: AgentSource { .registry }

    public init(
        client: CloudMapClient, namespace: String, service: String, attributes: [String: String]? = nil,
        fullRefreshInterval: Duration = .seconds(1)
    ) {
        self.client = client
        self.attributes = attributes
        self.namespace = namespace
        self.service = service
        self.fullRefreshInterval = fullRefreshInterval
    }

    /// How many polls reused the last list because the revision had not moved.
    public var skippedPolls: Int { cache.state.withLock { $0.skipped } }

    public func currentAgents() async throws -> [SourcedAgent] {
        let revision = try await client.discoverInstancesRevision(namespaceName: namespace, serviceName: service)
        let now = ContinuousClock.now
        let reused = cache.state.withLock { state -> [SourcedAgent]? in
            guard let last = state.last, last.revision == revision, now - last.time < fullRefreshInterval else {
                return nil
            }
            state.skipped += 1
            return last.agents
        }
        if let reused { return reused }
        let agents = try await discover(attributes: attributes)
        cache.state.withLock { $0.last = (revision, now, agents) }
        return agents
    }

    /// Healthy peers whose attributes match all of `attributes` (e.g. `["skill.plan": "1"]`).
    public func discover(attributes: [String: String]? = nil) async throws -> [SourcedAgent] {
        let output = try await client.discoverInstances(
            DiscoverInstancesRequest(
                namespaceName: namespace, serviceName: service, queryParameters: attributes, healthStatus: .healthy))
        return (output.instances ?? []).compactMap(Self.agent(from:))
    }

    /// Healthy peers that registered `skill.<id>=1`.
    public func discover(skill: String) async throws -> [SourcedAgent] {
        try await discover(attributes: [RegistryAttributes.skillKey(skill): "1"])
    }

    /// The card URL from `a2a_card_url`, else from the address attributes.
    static func agent(from instance: HttpInstanceSummary) -> SourcedAgent? {
        let attributes = instance.attributes ?? [:]
        let name = attributes[RegistryAttributes.agent] ?? instance.instanceId
        if let url = attributes[RegistryAttributes.cardURL], !url.isEmpty {
            return SourcedAgent(name: name, cardURL: url)
        }
        guard let ip = attributes["AWS_INSTANCE_IPV4"], let port = attributes["AWS_INSTANCE_PORT"] else { return nil }
        return SourcedAgent(name: name, cardURL: CardFetcher.cardURL(for: "http://\(ip):\(port)"))
    }

    final class Cache: Sendable {
        struct State {
            var last: (revision: Int64, time: ContinuousClock.Instant, agents: [SourcedAgent])?
            var skipped = 0
        }
        let state = Mutex(State())
    }
}
