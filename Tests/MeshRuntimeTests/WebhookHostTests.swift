import A2A
import A2AClient
import A2AServer
import AsyncHTTPClient
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import NIOCore
import Redis
import Testing

/// A conformance agent on a free port with these webhook settings (and Redis when given).
private func makeHost(
    webhooks: WebhookSettings = WebhookSettings(), limits: A2ALimits = A2ALimits(), redis: RedisStorage? = nil
) -> AgentHost {
    var configuration = AgentHostConfiguration(name: "webhook-test", port: 0, limits: limits, logLevel: .critical)
    configuration.webhooks = webhooks
    return buildAgentHost(
        card: ConformanceAgent.card, executor: ConformanceAgent(streamingTimeout: 0.5), configuration: configuration,
        redis: redis)
}

private func jsonRPC(_ method: String, _ params: JSONValue) throws -> HTTPClientRequest.Body {
    let body: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": params]
    return .bytes(ByteBuffer(bytes: try A2AJSON.encode(body)))
}

private let rpcHeaders = [("Content-Type", "application/json"), ("A2A-Version", "1.0")]

private func sendWithWebhook(_ base: String, url: String) async throws -> RawResponse {
    try await rawRequest(
        base + "/", method: .POST, headers: rpcHeaders,
        body: try jsonRPC(
            "SendMessage",
            [
                "message": ["messageId": "plain-1", "role": "ROLE_USER", "parts": [["text": "hello"]]],
                "configuration": ["taskPushNotificationConfig": ["url": .string(url), "token": "t-1"]],
            ]))
}

/// Waits until every delivery has ended (none in flight: the receiver saw `perDelivery` requests for each one the
/// sender counted), so no request reaches a server that is shutting down.
private func settle(_ host: AgentHost, _ webhook: HTTPTestServer, perDelivery: Int = 1) async throws {
    var stableSince = ContinuousClock.now
    var last = -1
    let deadline = ContinuousClock.now + .seconds(30)
    while ContinuousClock.now < deadline {
        let counts = host.pushSender.counts
        let ended = counts.delivered + counts.abandoned
        let seen = webhook.requests.count
        if ended > 0, seen == ended * perDelivery {
            if seen != last { (last, stableSince) = (seen, ContinuousClock.now) }
            if ContinuousClock.now - stableSince > .milliseconds(500) { return }
        } else {
            last = -1
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

private func taskCount(_ base: String) async throws -> Int {
    let response = try await rawRequest(
        base + "/", method: .POST, headers: rpcHeaders, body: try jsonRPC("ListTasks", [:]))
    let result = try #require(response.json?["result"] as? [String: Any])
    return (result["tasks"] as? [Any])?.count ?? 0
}

@Suite("Webhooks on a running agent")
struct WebhookHostTests {
    @Test(arguments: ["http://127.0.0.1:PORT/hook", "http://169.254.169.254/latest/meta-data/"])
    func privateWebhooksAreRefusedByDefault(template: String) async throws {
        try await HTTPTestServer.withServer { webhook in
            let url = template.replacingOccurrences(of: "PORT", with: "\(webhook.port)")
            try await withRunningHost(makeHost()) { base in
                let response = try await sendWithWebhook(base, url: url)
                #expect(response.status == 200)
                let error = try #require(
                    response.json?["error"] as? [String: Any], "\(String(decoding: response.body, as: UTF8.self))")
                #expect(error["code"] as? Int == -32602)
                let message = try #require(error["message"] as? String)
                #expect(message.contains("is refused"), "\(message)")
                #expect(message.contains(url.contains("169.254") ? "metadata" : "loopback"), "\(message)")
                #expect(try await taskCount(base) == 0, "no task was created")
            }
            #expect(webhook.requests.isEmpty)
        }
    }

    @Test func allowPrivateNetworksDeliversToLoopback() async throws {
        try await HTTPTestServer.withServer { webhook in
            let host = makeHost(webhooks: WebhookSettings(allowPrivateNetworks: true, signingSecret: "s1"))
            try await withRunningHost(host) { base in
                let response = try await sendWithWebhook(base, url: webhook.baseURL + "/hook")
                #expect(response.json?["result"] != nil, "\(String(decoding: response.body, as: UTF8.self))")
                let received = try await webhook.waitForRequests(count: 1)
                let first = try #require(received.first)
                #expect(first.header("X-A2A-Notification-Token") == "t-1")
                let signature = try #require(first.header("X-Mesh-Signature"))
                #expect(WebhookSignature.verify(header: signature, body: first.body, secret: "s1"))
                try await settle(host, webhook)
                #expect(host.pushSender.counts.abandoned == 0)
            }
        }
    }

    @Test func theAgentsOwnURLIsAlwaysAllowed() async throws {
        // A push config naming this agent itself (as the master's /result is named in a local mesh) is accepted;
        // set on a task that has ended, so nothing is delivered while the host stops.
        try await withRunningHost(makeHost()) { base in
            let sent = try await rawRequest(
                base + "/", method: .POST, headers: rpcHeaders,
                body: try jsonRPC(
                    "SendMessage",
                    ["message": ["messageId": "plain-1", "role": "ROLE_USER", "parts": [["text": "hi"]]]]))
            let task = try #require((sent.json?["result"] as? [String: Any])?["task"] as? [String: Any])
            let taskId = try #require(task["id"] as? String)
            for url in [base + "/result", "http://127.0.0.1:1/result"] {
                let response = try await rawRequest(
                    base + "/", method: .POST, headers: rpcHeaders,
                    body: try jsonRPC(
                        "CreateTaskPushNotificationConfig", ["taskId": .string(taskId), "url": .string(url)]))
                let own = url.hasPrefix(base)
                #expect(
                    (response.json?["result"] != nil) == own,
                    "\(url): \(String(decoding: response.body, as: UTF8.self))")
            }
        }
    }

    @Test func aDeliveryThatAlwaysFailsEndsInTheRedisDeadLetterStream() async throws {
        try await RedisServer.with { server in
            let redisConfiguration = try RedisConfiguration.load(url: server.url)
            let storage = try await RedisStorage.connect(
                configuration: redisConfiguration, agent: "webhook-test", keyPrefix: "mesh:")
            try await HTTPTestServer.withServer(respond: { _ in ScriptedResponse(status: 500) }) { webhook in
                let settings = WebhookSettings(allowPrivateNetworks: true, maxAttempts: 3, backoffMilliseconds: 10)
                let host = makeHost(webhooks: settings, redis: storage)
                try await withRunningHost(host) { base in
                    let response = try await sendWithWebhook(base, url: webhook.baseURL + "/hook")
                    let result = try #require(response.json?["result"] as? [String: Any])
                    let taskId = try #require((result["task"] as? [String: Any])?["id"] as? String)
                    let connection = try await RedisConnection.connect(configuration: redisConfiguration)
                    let arrived = try await eventually(timeout: .seconds(20)) {
                        try await connection.xlen("mesh:webhook-dlq") >= 1
                    }
                    #expect(arrived)
                    try await settle(host, webhook, perDelivery: 3)
                    let entry = try #require(try await connection.xrange("mesh:webhook-dlq").first)
                    #expect(entry["url"] == webhook.baseURL + "/hook")
                    #expect(entry["taskId"] == taskId)
                    #expect(entry["status"] == "500")
                    #expect(entry["reason"] == "webhook answered HTTP 500")
                    #expect(entry["body"]?.contains(taskId) == true)
                    #expect(entry["at"].flatMap { Timestamp(iso8601: $0) } != nil)
                    // Every attempt reached the receiver before the delivery was given up.
                    let hits = webhook.requests.filter { $0.text == entry["body"] }
                    #expect(hits.count == 3)
                    let letters = try await storage.webhookDeadLetters.letters(limit: 10)
                    #expect(letters.first?.status == 500)
                    await connection.close()
                }
            }
        }
    }
}

@Suite("Request limits on a running agent")
struct RequestLimitHostTests {
    static let limits = A2ALimits(maxBodyBytes: 64 * 1024, maxParts: 2, maxJSONDepth: 10, maxPartBytes: 100)

    func send(_ base: String, parts: JSONValue, path: String = "/") async throws -> RawResponse {
        let message: JSONValue = ["messageId": "plain-1", "role": "ROLE_USER", "parts": parts]
        if path == "/" {
            return try await rawRequest(
                base + "/", method: .POST, headers: rpcHeaders, body: try jsonRPC("SendMessage", ["message": message]))
        }
        return try await rawRequest(
            base + path, method: .POST, headers: rpcHeaders,
            body: .bytes(ByteBuffer(bytes: try A2AJSON.encode(["message": message] as JSONValue))))
    }

    func expectRefusal(_ response: RawResponse, jsonRPC: Bool, naming text: String) throws {
        let body = String(decoding: response.body, as: UTF8.self)
        let error = try #require(response.json?["error"] as? [String: Any], "\(body)")
        if jsonRPC {
            #expect(response.status == 200)
            #expect(error["code"] as? Int == -32602)
        } else {
            #expect(response.status == 400)
        }
        #expect((error["message"] as? String)?.contains(text) == true, "\(body)")
    }

    @Test(arguments: ["/", "/message:send"])
    func limitsAreEnforcedWithClearBodiesAndNoTask(path: String) async throws {
        let rpc = path == "/"
        try await withRunningHost(makeHost(limits: Self.limits)) { base in
            try expectRefusal(
                try await send(base, parts: [["text": "a"], ["text": "b"], ["text": "c"]], path: path), jsonRPC: rpc,
                naming: "the limit (maxParts) is 2")
            try expectRefusal(
                try await send(base, parts: [["text": .string(String(repeating: "x", count: 101))]], path: path),
                jsonRPC: rpc, naming: "the limit (maxPartBytes) is 100")
            var nested: JSONValue = 1
            for _ in 0..<12 { nested = [nested] }
            try expectRefusal(
                try await send(base, parts: [["data": nested]], path: path), jsonRPC: rpc,
                naming: "the limit (maxJSONDepth) is 10")
            let tooLarge = try await send(
                base, parts: [["text": .string(String(repeating: "x", count: 70 * 1024))]], path: path)
            #expect(tooLarge.status == 413)
            #expect(String(decoding: tooLarge.body, as: UTF8.self).contains("\(64 * 1024)"))
            #expect(try await taskCount(base) == 0, "no task was created")
        }
    }

    @Test func wrongContentTypeIs415OrContentTypeNotSupported() async throws {
        try await withRunningHost(makeHost(limits: Self.limits)) { base in
            let body = ByteBuffer(string: #"{"message":{"messageId":"m","role":"ROLE_USER","parts":[{"text":"x"}]}}"#)
            let rest = try await rawRequest(
                base + "/message:send", method: .POST,
                headers: [("Content-Type", "text/plain"), ("A2A-Version", "1.0")],
                body: .bytes(body))
            #expect(rest.status == 415)
            #expect(String(decoding: rest.body, as: UTF8.self).contains("text/plain"))
            let rpc = try await rawRequest(
                base + "/", method: .POST, headers: [("Content-Type", "text/plain"), ("A2A-Version", "1.0")],
                body: try jsonRPC(
                    "SendMessage", ["message": ["messageId": "m", "role": "ROLE_USER", "parts": [["text": "x"]]]]))
            let error = try #require(rpc.json?["error"] as? [String: Any])
            #expect(error["code"] as? Int == -32005)
            #expect((error["message"] as? String)?.contains("text/plain") == true)
            #expect(try await taskCount(base) == 0)
        }
    }
}

@Suite("Configuration: webhooks and limits")
struct WebhookConfigurationTests {
    func load(_ extra: String, environment: [String: String] = [:]) throws -> MeshConfiguration {
        let files = try TemporaryMesh(
            mesh: SampleMesh.mesh + "\n" + extra, agents: ["alpha": SampleMesh.alpha, "beta": SampleMesh.beta])
        defer { files.remove() }
        return try files.load(environment: environment)
    }

    @Test func blocksMapOntoTheSettings() throws {
        let mesh = try load(
            """
            limits: { maxBodyBytes: 1000, maxJSONDepth: 9, maxParts: 3, maxPartBytes: 500 }
            webhooks: { allowPrivateNetworks: true, allowHosts: [hooks.internal, "*.svc"], signingSecret: abc, maxAttempts: 2, backoffMs: 50 }
            """)
        #expect(mesh.limits.maxBodyBytes == 1000 && mesh.limits.maxJSONDepth == 9)
        #expect(mesh.limits.maxParts == 3 && mesh.limits.maxPartBytes == 500)
        #expect(
            mesh.webhooks
                == WebhookSettings(
                    allowPrivateNetworks: true, allowHosts: ["hooks.internal", "*.svc"], signingSecret: "abc",
                    maxAttempts: 2,
                    backoffMilliseconds: 50))
    }

    @Test func defaultsAreSafeAndTheEnvironmentOverrides() throws {
        let plain = try load("")
        #expect(plain.webhooks == WebhookSettings())
        #expect(!plain.webhooks.allowPrivateNetworks)
        let overridden = try load(
            "webhooks: { signingSecret: file-secret }",
            environment: ["MESH_WEBHOOK_SECRET": "env-secret", "MESH_WEBHOOK_ALLOW_PRIVATE": "1"])
        #expect(overridden.webhooks.signingSecret == "env-secret")
        #expect(overridden.webhooks.allowPrivateNetworks)
    }

    @Test func badValuesNameTheField() throws {
        let files = try TemporaryMesh(
            mesh: SampleMesh.mesh + "\nwebhooks: { maxAttempts: 0 }",
            agents: ["alpha": SampleMesh.alpha, "beta": SampleMesh.beta])
        defer { files.remove() }
        let error = try #require(files.loadError())
        #expect(error.field == "webhooks.maxAttempts")
        let secret = try TemporaryMesh(
            mesh: SampleMesh.mesh + "\nwebhooks: { signingSecret: [s3cret] }",
            agents: ["alpha": SampleMesh.alpha, "beta": SampleMesh.beta])
        defer { secret.remove() }
        let secretError = try #require(secret.loadError())
        #expect(secretError.field == "webhooks.signingSecret")
        #expect(!secretError.description.contains("s3cret"))
        let depth = try TemporaryMesh(
            mesh: SampleMesh.mesh + "\nlimits: { maxJSONDepth: 0 }",
            agents: ["alpha": SampleMesh.alpha, "beta": SampleMesh.beta])
        defer { depth.remove() }
        #expect(try #require(depth.loadError()).field == "limits.maxJSONDepth")
    }

    @Test func theShippedMeshFileHasBothBlocks() throws {
        let mesh = try MeshConfiguration.load(path: try shippedMeshFile(), environment: [:])
        #expect(mesh.limits.maxJSONDepth == 64 && mesh.limits.maxParts == 64 && mesh.limits.maxPartBytes == 1_048_576)
        #expect(mesh.webhooks == WebhookSettings())
    }
}
