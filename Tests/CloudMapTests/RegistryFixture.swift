import AsyncHTTPClient
import CloudMap
import Hummingbird
import HummingbirdTesting

/// Runs the embedded registry on a loopback port and hands a `CloudMapClient` bound to it.
func withRegistry(
    configuration: RegistryConfiguration = .init(), signed: Bool = true,
    _ body: @Sendable (CloudMapClient) async throws -> Void
) async throws {
    let app = buildRegistryApplication(port: 0, configuration: configuration)
    try await app.test(.live) { client in
        let port = try #require(client.port)
        let credentials = signed ? AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret") : nil
        let cloudMap = CloudMapClient(
            configuration: .init(endpoint: "http://127.0.0.1:\(port)", region: "us-east-1", credentials: credentials))
        try await body(cloudMap)
    }
}

/// A namespace `mesh.local` with a service `agents` (custom health check unless told otherwise).
func makeService(_ client: CloudMapClient, customHealth: Bool = true) async throws -> (
    namespace: String, service: String
) {
    let operation = try await client.createHttpNamespace(.init(name: "mesh.local"))
    let operationId = try #require(operation.operationId)
    let namespaceId = try #require(try await client.getOperation(id: operationId).targets?["NAMESPACE"])
    let service = try await client.createService(
        .init(name: "agents", namespaceId: namespaceId, healthCheckCustomConfig: customHealth ? .init() : nil))
    return (namespaceId, try #require(service.id))
}

/// The attributes an agent registers: address, card URL, name and one `skill.<id>=1` per skill.
func agentAttributes(_ name: String, port: Int, skills: [String]) -> [String: String] {
    var attributes = [
        "AWS_INSTANCE_IPV4": "127.0.0.1", "AWS_INSTANCE_PORT": String(port), "agent": name,
        "a2a_card_url": "http://127.0.0.1:\(port)/.well-known/agent-card.json",
    ]
    for skill in skills { attributes["skill.\(skill)"] = "1" }
    return attributes
}

/// Expects `body` to throw a `CloudMapError` with `code`, and returns it.
@discardableResult
func expectCloudMapError(
    _ code: CloudMapErrorCode, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> CloudMapError? {
    do {
        try await body()
        Issue.record("expected \(code.rawValue), got success", sourceLocation: sourceLocation)
    } catch let error as CloudMapError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

import Testing
