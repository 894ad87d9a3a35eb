import A2A
@testable import A2AServer
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MeshTesting
import Synchronization
import Testing

@Suite("Webhook guard (SSRF)")
struct WebhookGuardTests {
    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"), ("0.0.0.0", "unspecified"),
        ("::", "unspecified"), ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"),
        ("192.168.1.1", "private"), ("169.254.169.254", "metadata"), ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"), ("fc00::1", "private"), ("fd12:3456::1", "private"), ("fd00:ec2::254", "metadata"),
        ("::ffff:127.0.0.1", "loopback"), ("::ffff:169.254.169.254", "metadata"), ("::ffff:10.0.0.1", "private"),
        ("64:ff9b::a9fe:a9fe", "metadata"), ("100.64.0.1", "shared"), ("224.0.0.1", "multicast"),
    ])
    func restrictedAddresses(address: String, kind: String) throws {
        let parsed = try #require(WebhookAddress(literal: address))
        let restriction = try #require(parsed.restriction, "\(address) must be restricted")
        #expect(restriction.contains(kind), "\(address): \(restriction)")
    }

    @Test(arguments: ["8.8.8.8", "172.32.0.1", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8"])
    func publicAddresses(address: String) throws {
        #expect(try #require(WebhookAddress(literal: address)).restriction == nil)
    }

    @Test func refusesLoopbackAndMetadataByDefault() async throws {
        let guardrail = WebhookGuard()
        for url in [
            "http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://169.254.169.254/latest/meta-data",
            "http://localhost:9/hook", "http://2130706433/hook", "http://[::ffff:127.0.0.1]/x",
            "http://metadata.google.internal/computeMetadata/v1/", "http://10.0.0.5/hook",
        ] {
            await #expect(throws: WebhookRefusal.self, "\(url)") { try await guardrail.check(url) }
        }
        do {
            try await guardrail.check("http://127.0.0.1:8080/hook")
        } catch {
            #expect(error.description.contains("loopback"))
            #expect(error.description.contains("webhooks.allowPrivateNetworks"))
        }
        await #expect(throws: WebhookRefusal.self) { try await guardrail.check("ftp://example.com/x") }
        await #expect(throws: WebhookRefusal.self) { try await guardrail.check("/relative") }
    }

    @Test func allowPrivateNetworksOpensLoopbackButNotMetadata() async throws {
        let guardrail = WebhookGuard.allowingPrivateNetworks
        try await guardrail.check("http://127.0.0.1:8080/hook")
        try await guardrail.check("http://localhost:8080/hook")
        try await guardrail.check("http://192.168.0.10/hook")
        do {
            try await guardrail.check("http://169.254.169.254/latest")
            Issue.record("the metadata address must stay refused")
        } catch {
            #expect(error.description.contains("metadata"))
            #expect(error.description.contains("allowHosts"))
        }
        await #expect(throws: WebhookRefusal.self) { try await guardrail.check("http://metadata.google.internal/") }
    }

    @Test func allowHostsAndMeshOrigins() async throws {
        let guardrail = WebhookGuard(
            allowHosts: ["localhost:8080", "*.svc.internal", "169.254.169.254", "[::1]"],
            isMeshOrigin: { scheme, host, port in scheme == "http" && host == "127.0.0.1" && port == 7000 })
        try await guardrail.check("http://localhost:8080/hook")
        await #expect(throws: WebhookRefusal.self) { try await guardrail.check("http://localhost:8081/hook") }
        try await guardrail.check("http://169.254.169.254/")
        try await guardrail.check("http://[::1]:9/")
        try await guardrail.check("http://127.0.0.1:7000/result")
        await #expect(throws: WebhookRefusal.self) { try await guardrail.check("http://127.0.0.1:7001/result") }
    }

    @Test func aNameIsJudgedByEveryAddressItResolvesTo() async throws {
        var guardrail = WebhookGuard()
        guardrail.resolve = { _ in [WebhookAddress(literal: "93.184.216.34")!, WebhookAddress(literal: "10.0.0.1")!] }
        do {
            try await guardrail.check("https://hooks.example.com/x")
            Issue.record("a private address among the answers must refuse the host")
        } catch {
            #expect(
                error.description
                    == "webhook host 'hooks.example.com' is refused: it resolves to 10.0.0.1, a private-network address; webhooks may not reach loopback, link-local or private networks unless webhooks.allowPrivateNetworks is true or webhooks.allowHosts lists the host"
            )
        }
    }

    @Test func aNameThatDoesNotResolveIsAcceptedWhenSetAndRetriedWhenDelivering() async throws {
        struct NoSuchHost: Error {}
        var guardrail = WebhookGuard()
        guardrail.resolve = { _ in throw NoSuchHost() }
        // Setting a config: nothing can be reached through the name now, and each delivery checks it again.
        #expect(
            try await guardrail.check("https://hooks.example.com/x", acceptingUnresolvable: true).host
                == "hooks.example.com")
        // Delivering: refused for now, but as a passing failure that a retry may get past.
        do {
            try await guardrail.check("https://hooks.example.com/x")
            Issue.record("an unresolvable name was let through at delivery")
        } catch {
            #expect(error.isTransient)
            #expect(error.description.hasPrefix("webhook host 'hooks.example.com' is refused: it does not resolve"))
        }
        // A literal loopback address is refused when set, whatever the resolver does.
        await #expect(throws: WebhookRefusal.self) {
            try await guardrail.check("http://127.0.0.1:9/hook", acceptingUnresolvable: true)
        }
    }

    @Test func aTrustedCredentialOpensPrivateNetworksButNotMetadata() async throws {
        var guardrail = WebhookGuard()
        guardrail.isTrustedCredential = { $0 == "a-valid-mesh-token" }
        // The master's `/result` on loopback, set by an agent of the mesh with its token.
        #expect(
            try await guardrail.check("http://127.0.0.1:8000/result", credentials: "a-valid-mesh-token").port == 8000)
        for credentials in [nil, "", "someone-elses-token"] {
            await #expect(throws: WebhookRefusal.self) {
                try await guardrail.check("http://127.0.0.1:8000/result", credentials: credentials)
            }
        }
        await #expect(throws: WebhookRefusal.self) {
            try await guardrail.check("http://169.254.169.254/latest/meta-data", credentials: "a-valid-mesh-token")
        }
    }
}

@Suite("Push configs and the webhook guard")
struct PushGuardTests {
    @Test(arguments: ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data"])
    func sendMessageWithAPrivateWebhookIsRefusedAndCreatesNoTask(url: String) async throws {
        let agent = TestAgent(webhookGuard: WebhookGuard())
        try await agent.app.test(.router) { client in
            let response = try await client.send(
                "hello", configuration: ["taskPushNotificationConfig": ["url": .string(url)]])
            let error = try #require(response.error)
            #expect(error.code == -32602)
            #expect(error.message.contains("configuration.taskPushNotificationConfig.url: webhook host"))
            #expect(error.message.contains(url.contains("169.254") ? "metadata" : "loopback"))
            let tasks = try await client.rpc("ListTasks", [:], as: ListTasksResponse.self)
            #expect(tasks.result?.tasks.isEmpty == true, "no task was created")
        }
    }

    @Test func createPushConfigRefusesLoopbackOverBothBindings() async throws {
        let agent = TestAgent(webhookGuard: WebhookGuard())
        try await agent.app.test(.router) { client in
            let task = try await client.sendTask("ask")
            let rpc = try await client.rpc(
                "CreateTaskPushNotificationConfig",
                ["taskId": .string(task.id), "url": "http://127.0.0.1:8080/hook"], as: TaskPushNotificationConfig.self)
            #expect(rpc.error?.code == -32602)
            #expect(rpc.error?.message.contains("is refused: it is a loopback address") == true)
            let body = try A2AJSON.encode(["url": "http://169.254.169.254/"] as JSONObject)
            try await client.execute(
                uri: "/tasks/\(task.id)/pushNotificationConfigs", method: .post, headers: a2aHeaders,
                body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("cloud metadata address"))
            }
            let list = try await client.rpc(
                "ListTaskPushNotificationConfigs", ["taskId": .string(task.id)],
                as: ListTaskPushNotificationConfigsResponse.self)
            #expect(list.result?.configs.isEmpty == true)
        }
    }

    @Test func aNameThatRebindsToLoopbackIsRefusedAtDeliveryAndDeadLettered() async throws {
        // The name resolves to a public address when the config is set, and to 127.0.0.1 when delivering.
        let answers = Mutex(0)
        var guardrail = WebhookGuard()
        guardrail.resolve = { _ in
            let call = answers.withLock { count -> Int in
                count += 1
                return count
            }
            return [WebhookAddress(literal: call == 1 ? "93.184.216.34" : "127.0.0.1")!]
        }
        let letters = InMemoryWebhookDeadLetters()
        let agent = TestAgent(webhookGuard: guardrail, deadLetters: letters)
        try await agent.app.test(.router) { client in
            let task = try await client.sendTask(
                "hello", configuration: ["taskPushNotificationConfig": ["url": "http://rebind.example:8080/hook"]])
            let deadline = ContinuousClock.now + .seconds(10)
            while try await letters.count() < 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            let letter = try #require(try await letters.letters(limit: 10).first)
            #expect(letter.taskId == task.id)
            #expect(letter.url == "http://rebind.example:8080/hook")
            #expect(letter.status == nil)
            #expect(letter.reason.contains("resolves to 127.0.0.1, a loopback address"))
            #expect(agent.pushSender.counts.delivered == 0)
        }
    }

    @Test func deliveriesAreSignedAndCarryAuthorizationAndTraceparent() async throws {
        let secret = "whsec-test-1"
        try await HTTPTestServer.withServer { webhook in
            let agent = TestAgent(signingSecret: secret)
            try await agent.app.test(.router) { client in
                _ = try await client.sendTask(
                    "hello",
                    configuration: [
                        "taskPushNotificationConfig": [
                            "url": .string(webhook.baseURL + "/hook"),
                            "authentication": ["scheme": "Bearer", "credentials": "push-cred"],
                        ]
                    ])
                let received = try await webhook.waitForRequests(count: 4)
                #expect(received.count == 4)
                for request in received {
                    #expect(request.header("Authorization") == "Bearer push-cred")
                    let traceparent = try #require(request.header("traceparent"))
                    #expect(traceparent.split(separator: "-").count == 4)
                    let header = try #require(request.header("X-Mesh-Signature"))
                    // Verified the way a receiver would: HMAC-SHA256 over "<t>.<body>".
                    let fields = Dictionary(
                        uniqueKeysWithValues: header.split(separator: ",").map { item in
                            let pair = item.split(separator: "=", maxSplits: 1)
                            return (String(pair[0]), String(pair[1]))
                        })
                    let timestamp = try #require(fields["t"].flatMap { Int($0) })
                    #expect(abs(Int(Date().timeIntervalSince1970) - timestamp) < 60)
                    var mac = HMAC<SHA256>(key: SymmetricKey(data: Data(secret.utf8)))
                    mac.update(data: Data("\(timestamp).".utf8))
                    mac.update(data: request.body)
                    let expected = mac.finalize().map { String(format: "%02x", $0) }.joined()
                    #expect(fields["v1"] == expected)
                    #expect(WebhookSignature.verify(header: header, body: request.body, secret: secret))
                    #expect(!WebhookSignature.verify(header: header, body: request.body, secret: "other"))
                    #expect(
                        !WebhookSignature.verify(header: header, body: request.body + Data("x".utf8), secret: secret))
                }
            }
        }
    }
}

@Suite("Request limits")
struct RequestLimitTests {
    static let limits = A2ALimits(maxParts: 2, maxJSONDepth: 8, maxPartBytes: 32)

    func expectRefusedWithoutTask(
        _ agent: TestAgent, params: JSONValue, naming limit: String
    ) async throws {
        try await agent.app.test(.router) { client in
            let response = try await client.rpc("SendMessage", params, as: SendMessageResponse.self)
            let error = try #require(response.error, "expected an error, got \(String(describing: response.result))")
            #expect(error.code == -32602)
            #expect(error.message.contains(limit), "\(error.message)")
            let tasks = try await client.rpc("ListTasks", [:], as: ListTasksResponse.self)
            #expect(tasks.result?.tasks.isEmpty == true, "no task was created")
        }
    }

    func message(parts: [JSONValue]) -> JSONValue {
        ["message": ["messageId": "m-1", "role": "ROLE_USER", "parts": .array(parts)]]
    }

    @Test func tooManyParts() async throws {
        try await expectRefusedWithoutTask(
            TestAgent(limits: Self.limits), params: message(parts: [["text": "a"], ["text": "b"], ["text": "c"]]),
            naming: "the limit (maxParts) is 2")
    }

    @Test func aPartTooLarge() async throws {
        try await expectRefusedWithoutTask(
            TestAgent(limits: Self.limits),
            params: message(parts: [["text": "ok"], ["text": .string(String(repeating: "x", count: 33))]]),
            naming: "message.parts[1] is 33 bytes; the limit (maxPartBytes) is 32")
        try await expectRefusedWithoutTask(
            TestAgent(limits: Self.limits),
            params: message(parts: [["raw": .string(Data(count: 40).base64EncodedString())]]),
            naming: "the limit (maxPartBytes) is 32")
    }

    @Test func jsonTooDeep() async throws {
        var nested: JSONValue = "deep"
        for _ in 0..<10 { nested = ["a": nested] }
        try await expectRefusedWithoutTask(
            TestAgent(limits: Self.limits), params: message(parts: [["data": nested]]),
            naming: "the limit (maxJSONDepth) is 8")
    }

    @Test func jsonTooDeepOverHTTPJSONIs400() async throws {
        let agent = TestAgent(limits: Self.limits)
        try await agent.app.test(.router) { client in
            let body = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            try await client.execute(
                uri: "/message:send", method: .post, headers: a2aHeaders, body: ByteBuffer(string: body)
            ) {
                response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("maxJSONDepth"))
            }
        }
    }

    @Test func depthScannerIgnoresBracketsInStrings() {
        #expect(!JSONDepth.exceeds(2, in: Array(#"{"a":"[[[[{{{{\"]]"}"#.utf8)))
        #expect(JSONDepth.exceeds(2, in: Array(#"{"a":[{"b":1}]}"#.utf8)))
        #expect(!JSONDepth.exceeds(3, in: Array(#"{"a":[{"b":1}]}"#.utf8)))
    }
}
