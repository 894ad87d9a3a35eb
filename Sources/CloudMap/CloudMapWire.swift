import Foundation

/// The awsJson 1.1 protocol of Cloud Map: one `POST /` per call, the operation in `X-Amz-Target`.
public enum CloudMapWire {
    /// `targetPrefix` of the service model.
    public static let targetPrefix = "Route53AutoNaming_v20170314"
    /// The body's content type, both ways.
    public static let contentType = "application/x-amz-json-1.1"
    /// The SigV4 signing name.
    public static let signingName = "servicediscovery"

    /// The `X-Amz-Target` value of an operation.
    public static func target(_ operation: CloudMapOperation) -> String { "\(targetPrefix).\(operation.rawValue)" }

    /// Timestamps travel as epoch seconds (a JSON number), as awsJson does without a `timestampFormat`.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// The decoder matching `makeEncoder()`.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }
}

/// The operations the client and the embedded registry speak.
public enum CloudMapOperation: String, Sendable, CaseIterable {
    case createHttpNamespace = "CreateHttpNamespace"
    case getNamespace = "GetNamespace"
    case listNamespaces = "ListNamespaces"
    case deleteNamespace = "DeleteNamespace"
    case createService = "CreateService"
    case getService = "GetService"
    case listServices = "ListServices"
    case deleteService = "DeleteService"
    case registerInstance = "RegisterInstance"
    case deregisterInstance = "DeregisterInstance"
    case getInstance = "GetInstance"
    case listInstances = "ListInstances"
    case discoverInstances = "DiscoverInstances"
    case discoverInstancesRevision = "DiscoverInstancesRevision"
    case getInstancesHealthStatus = "GetInstancesHealthStatus"
    case updateInstanceCustomHealthStatus = "UpdateInstanceCustomHealthStatus"
    case getOperation = "GetOperation"

    /// The two data-plane calls: on AWS their host gets the `data-` prefix.
    public var isDataPlane: Bool { self == .discoverInstances || self == .discoverInstancesRevision }

    /// The operation named by an `X-Amz-Target` header, if it is one of ours.
    public init?(target: String) {
        let prefix = CloudMapWire.targetPrefix + "."
        guard target.hasPrefix(prefix) else { return nil }
        self.init(rawValue: String(target.dropFirst(prefix.count)))
    }
}
