import A2A
import A2AClient
import AsyncHTTPClient
import Foundation
import MeshRuntime
import MeshTesting
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Testing

/// A mesh with API keys and a mesh key, as real processes: clients need keys (and scopes) at the master, agents
/// take only mesh tokens, and tasks still run end to end because every agent-to-agent call carries one.
@Suite(.serialized) struct MasterAuthTests {
    static let aliceKey = "mk_alice-0123456789abcdefghijklmnop"
    static let opsKey = "mk_ops-0123456789abcdefghijklmnopqrs"
    static let meshKey = "mesh-key-for-master-auth-tests-0123456789"

    static let auth = """
        auth:
          apiKeys:
            - { id: alice, sha256: "\(AuthSettings.APIKey.hash(of: aliceKey))", scopes: [task, result] }
            - { id: ops, sha256: "\(AuthSettings.APIKey.hash(of: opsKey))", scopes: [task, result, dlq] }
          meshKey: "\(meshKey)"
        """

    static func post(_ url: String, json: String, headers: [(String, String)] = []) async throws -> MasterMesh.Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return MasterMesh.Reply(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(buffer: body))
    }

    static func message(_ reply: MasterMesh.Reply) -> String {
        (reply.json["error"] as? [String: Any])?["message"] as? String ?? reply.text
    }

    @Test func aTaskThroughASecuredMeshCompletesWhileCallersWithoutTheRightCredentialAreRefused() async throws {
        try await MasterMesh.with(agents: MasterPipelineTests.fullMesh, meshFileExtra: Self.auth) { mesh in
            let input = #"{"input": "Explain the A2A protocol"}"#
            let anonymous = try await mesh.request(.POST, "/task", json: input)
            #expect(anonymous.status == 401, "\(anonymous.text)")
            #expect(anonymous.header("WWW-Authenticate") == #"Bearer realm="test""#)
            #expect(Self.message(anonymous).hasPrefix("POST /task needs an API key"))
            let unknown = try await mesh.request(.POST, "/task", json: input, headers: ["X-API-Key": "mk_guess"])
            #expect(unknown.status == 401 && Self.message(unknown) == "unknown API key")

            let alice = ["X-API-Key": Self.aliceKey]
            let id = try await mesh.submit(input, headers: alice)
            let result = try await mesh.result(id, headers: alice)
            #expect(
                result["state"] as? String == "completed",
                "\(result)\n\(mesh.logs("master"))\n\(mesh.logs("worker-a"))\n\(mesh.logs("llm-gateway"))")

            let dlq = try await mesh.request(.GET, "/dlq", headers: alice)
            #expect(dlq.status == 403 && (dlq.json["error"] as? [String: Any])?["requiredScope"] as? String == "dlq")
            #expect(Self.message(dlq) == "GET /dlq needs scope 'dlq'; key:alice has task, result")
            #expect(try await mesh.request(.GET, "/dlq", headers: ["X-API-Key": Self.opsKey]).status == 200)
            let webhookLetters = try await mesh.request(.GET, "/dlq/webhooks", headers: alice)
            #expect(webhookLetters.status == 403, "\(webhookLetters.text)")
            #expect(try await mesh.request(.GET, "/dlq/webhooks", headers: ["X-API-Key": Self.opsKey]).status == 200)
            let push = try await mesh.request(.POST, "/result", json: "{}", headers: alice)
            #expect(push.status == 403 && Self.message(push).contains("takes only mesh tokens"))

            // The card stays public and says how to authenticate.
            let card = try await AgentCardResolver().resolve(mesh.masterURL)
            #expect(Set(card.securitySchemes?.keys.map { $0 } ?? []) == ["apiKey", "meshToken"])

            // A worker refuses a dispatch without a mesh token, and an API key is no substitute.
            let worker = "http://127.0.0.1:\(mesh.ports["worker-b"]!)"
            let send = #"""
                {"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":{"messageId":"m-1","role":"ROLE_USER","parts":[{"text":"What is an agent card?"}],"metadata":{"skill":"retrieve"}}}}
                """#
            let refused = try await Self.post(worker + "/", json: send, headers: [("A2A-Version", "1.0")])
            #expect(refused.status == 401, "\(refused.text)")
            #expect(Self.message(refused).contains("a mesh token"))
            let keyed = try await Self.post(worker + "/", json: send, headers: [("X-API-Key", Self.aliceKey)])
            #expect(keyed.status == 403, "\(keyed.text)")
            let gateway = "http://127.0.0.1:\(mesh.ports["llm-gateway"]!)"
            let chat = try await Self.post(
                gateway + "/v1/chat/completions", json: #"{"messages":[{"role":"user","content":"hi"}]}"#)
            #expect(chat.status == 401, "the gateway takes only mesh tokens too: \(chat.text)")

            let token = MeshTokenIssuer(meshKey: Self.meshKey, meshName: "test", agent: "tester")
            let client = try A2AClient(
                card: try await AgentCardResolver().resolve(worker),
                configuration: A2AClientConfiguration(dynamicHeaders: token.headers))
            let answer = try await client.sendMessage(
                SendMessageRequest(
                    message: Message(
                        messageId: UUID().uuidString, role: .user, parts: [.text("What is an agent card?")],
                        metadata: ["skill": "retrieve"])))
            if case .task(let task) = answer {
                #expect(task.status.state != .failed, "\(task)")
            }
        }
    }

    @Test func pushedResultsCarryAMeshTokenThatTheMasterRequires() async throws {
        // The master accepts the worker's push only because the push config's Authorization carries its mesh token.
        // The worker's static discovery does not list the master: its guard lets the push to loopback through only
        // because that token is a valid mesh token (no allowPrivateNetworks here).
        try await MasterMesh.withPushDelivery(meshFileExtra: "auth: { meshKey: \"\(Self.meshKey)\" }") { mesh in
            _ = try await mesh.expectCompletionByPush()

            let update =
                #"{"statusUpdate": {"taskId": "t1", "contextId": "c1", "status": {"state": "TASK_STATE_COMPLETED"}}}"#
            let outsider = try await mesh.request(
                .POST, "/result", json: update, headers: ["X-A2A-Notification-Token": "made-up"])
            #expect(outsider.status == 401, "no mesh token, no push: \(outsider.text)")
            #expect(Self.message(outsider).contains("only agents of this mesh"))
            let token = MeshTokenIssuer(meshKey: Self.meshKey, meshName: "test", agent: "worker-b").token()
            let agent = try await mesh.request(
                .POST, "/result", json: update,
                headers: ["X-A2A-Notification-Token": "made-up", "Authorization": "Bearer \(token)"])
            #expect(agent.status == 401 && agent.text.contains("unknown or expired notification token"))
            // Clients of a mesh without client credentials stay anonymous and welcome.
            #expect(try await mesh.request(.GET, "/dlq").status == 200)
        }
    }
}
