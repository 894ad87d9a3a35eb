import Foundation

/// Everything the embedded registry knows except the operation records themselves: namespaces,
/// services, instances with their heartbeats, CreatorRequestIds and the revision counter.
///
/// It is a plain value so that one implementation of the logic (``RegistryTransaction``) serves every
/// store: the in-memory store keeps one in an actor, the Redis store keeps it encoded in one key.
struct RegistryState: Codable, Sendable, Equatable {
    struct NamespaceRecord: Codable, Sendable, Equatable {
        var namespace: Namespace
        var tags: [Tag]
    }

    struct InstanceRecord: Codable, Sendable, Equatable {
        var instance: Instance
        var customHealth: CustomHealthStatus
        var lastHeartbeat: Date
    }

    struct ServiceRecord: Codable, Sendable, Equatable {
        var service: CloudMapService
        var tags: [Tag]
        var instances: [String: InstanceRecord] = [:]
        var instanceOrder: [String] = []
        var revision: Int64
    }

    /// A CreatorRequestId seen before: what it created and the operation it started.
    struct CreatorRequest: Codable, Sendable, Equatable {
        var fingerprint: String
        var operationId: String
        var resourceId: String
        /// The operation's place in the sequence of all operations, to forget the request with it.
        var operationSequence: Int64
    }

    var namespaces: [String: NamespaceRecord] = [:]
    var namespaceOrder: [String] = []
    var services: [String: ServiceRecord] = [:]
    var serviceOrder: [String] = []
    var creatorRequests: [String: CreatorRequest] = [:]
    /// Source of every revision: one counter for the whole registry, so a revision never goes down,
    /// not even when a service is deleted and created again under the same name.
    var revisionCounter: Int64 = 0
    /// How many operations were ever recorded; the newest has this sequence number.
    var operationCount: Int64 = 0
    /// The sequence number of the oldest operation `GetOperation` still reports.
    var oldestKeptOperation: Int64 = 1

    /// How many of the newest operations a store keeps.
    var keptOperationCount: Int { Int(operationCount - oldestKeptOperation + 1) }
}
