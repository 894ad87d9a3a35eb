import AsyncHTTPClient
import CloudMap
import Foundation
import HummingbirdTesting
import NIOCore
import NIOFoundationCompat
import Testing

/// boto3 without `inject_host_prefix=False` names `data-<host>` in `Host`; the registry answers anyway.
@Suite struct RegistryHostHeaderTests {
    @Test(arguments: ["data-servicediscovery.us-east-1.amazonaws.com", "data-127.0.0.1:7400", "registry"])
    func anyHostIsServed(_ host: String) async throws {
        let app = buildRegistryApplication(port: 0)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/")
            request.method = .POST
            request.headers.add(name: "Host", value: host)
            request.headers.add(name: "Content-Type", value: CloudMapWire.contentType)
            request.headers.add(name: "X-Amz-Target", value: CloudMapWire.target(.discoverInstancesRevision))
            request.body = .bytes(ByteBuffer(string: #"{"NamespaceName":"mesh.local","ServiceName":"agents"}"#))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 16)
            #expect(response.status.code == 400)
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            #expect(object?["__type"] as? String == "NamespaceNotFound")
        }
    }
}
