import Foundation

/// Where and how `CloudMapClient` calls Cloud Map.
public struct CloudMapClientConfiguration: Sendable {
    /// A custom endpoint (e.g. the embedded registry, `http://127.0.0.1:7400`); nil means AWS.
    public var endpoint: String?
    public var region: String
    /// Signing credentials; without them requests go unsigned (fine for the embedded registry).
    public var credentials: AWSCredentials?
    public var timeout: Duration
    public var maxResponseBytes: Int

    public init(
        endpoint: String? = nil, region: String = "us-east-1", credentials: AWSCredentials? = nil,
        timeout: Duration = .seconds(10), maxResponseBytes: Int = 4 << 20
    ) {
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// From the standard variables: `AWS_REGION` or `AWS_DEFAULT_REGION`, the credential variables, and
    /// `AWS_ENDPOINT_URL_SERVICEDISCOVERY` or `AWS_ENDPOINT_URL` for a custom endpoint unless `endpoint` is given.
    public static func fromEnvironment(
        endpoint: String? = nil, _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Self {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return Self(
            endpoint: endpoint ?? value("AWS_ENDPOINT_URL_SERVICEDISCOVERY") ?? value("AWS_ENDPOINT_URL"),
            region: value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1",
            credentials: AWSCredentials.fromEnvironment(environment))
    }

    /// The URL for an operation: a custom endpoint as is; on AWS the regional endpoint, with the
    /// `data-` host prefix for DiscoverInstances and DiscoverInstancesRevision.
    public func url(for operation: CloudMapOperation) -> String {
        if let endpoint {
            return endpoint.hasSuffix("/") ? endpoint : endpoint + "/"
        }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        let prefix = operation.isDataPlane ? "data-" : ""
        return "https://\(prefix)servicediscovery.\(region).\(suffix)/"
    }
}
