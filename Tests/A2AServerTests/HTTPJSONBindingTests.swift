import A2A
@testable import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("HTTP+JSON binding")
struct HTTPJSONBindingTests {
    let headers: HTTPFields = [.contentType: "application/a2a+json", HTTPField.Name("A2A-Version")!: "1.0"]

    func body(_ value: JSONValue) throws -> ByteBuffer { ByteBuffer(bytes: try A2AJSON.encode(value)) }

    @Test func sendGetListCancel() async throws {
        try await TestAgent().app.test(.router) { client in
            let message: JSONValue = ["message": ["messageId": "r1", "role": "ROLE_USER", "parts": [["text": "rest hi"]]]]
            let sent = try await client.execute(uri: "/message:send", method: .post, headers: headers, body: try body(message)) {
                #expect($0.status == .ok)
                return try A2AJSON.decode(SendMessageResponse.self, from: Data(buffer: $0.body))
            }
            guard case .task(let task) = sent else { Issue.record("expected a task"); return }
            #expect(task.artifacts?.first?.parts == [.text("rest hi")])
            try await client.execute(uri: "/tasks/\(task.id)?historyLength=0", method: .get, headers: headers) {
                let fetched = try A2AJSON.decode(A2ATask.self, from: Data(buffer: $0.body))
                #expect(fetched.id == task.id)
                #expect(fetched.history == nil)
            }
            try await client.execute(uri: "/tasks?pageSize=10&includeArtifacts=true", method: .get, headers: headers) {
                let page = try A2AJSON.decode(ListTasksResponse.self, from: Data(buffer: $0.body))
                #expect(page.tasks.map(\.id) == [task.id])
                #expect(page.tasks.first?.artifacts?.isEmpty == false)
            }
            try await client.execute(uri: "/tasks/\(task.id):cancel", method: .post, headers: headers) { response in
                #expect(response.status == .badRequest)
                let error = try A2AJSON.decode(HTTPErrorBody.self, from: Data(buffer: response.body))
                #expect(error.a2aError.kind == .taskNotCancelable)
            }
        }
    }

    @Test func errorsUseGoogleRPCStatus() async throws {
        try await TestAgent().app.test(.router) { client in
            try await client.execute(uri: "/tasks/missing", method: .get, headers: headers) { response in
                #expect(response.status == .notFound)
                let error = try A2AJSON.decode(HTTPErrorBody.self, from: Data(buffer: response.body))
                #expect(error.error.code == 404)
                #expect(error.error.status == "NOT_FOUND")
                #expect(error.error.details?.first?.objectValue?["reason"] == "TASK_NOT_FOUND")
            }
            try await client.execute(uri: "/tasks/missing", method: .get, headers: [:]) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("VERSION_NOT_SUPPORTED"))
            }
            try await client.execute(uri: "/tasks?pageSize=abc", method: .get, headers: headers) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("pageSize"))
            }
            try await client.execute(uri: "/message:send", method: .post, headers: headers, body: ByteBuffer(string: "{oops")) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("not valid JSON"))
            }
            // The version may also come as a query parameter.
            try await client.execute(uri: "/tasks/missing?A2A-Version=1.0", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func pushConfigLifecycle() async throws {
        try await TestAgent().app.test(.router) { client in
            let task = try await client.sendTask("ask")
            let created = try await client.execute(
                uri: "/tasks/\(task.id)/pushNotificationConfigs", method: .post, headers: headers,
                body: try body(["url": "http://127.0.0.1:9/hook", "token": "secret"])
            ) { try A2AJSON.decode(TaskPushNotificationConfig.self, from: Data(buffer: $0.body)) }
            let id = try #require(created.id)
            #expect(created.taskId == task.id)
            try await client.execute(uri: "/tasks/\(task.id)/pushNotificationConfigs/\(id)", method: .get, headers: headers) {
                let config = try A2AJSON.decode(TaskPushNotificationConfig.self, from: Data(buffer: $0.body))
                #expect(config.token == "secret")
            }
            try await client.execute(uri: "/tasks/\(task.id)/pushNotificationConfigs", method: .get, headers: headers) {
                let list = try A2AJSON.decode(ListTaskPushNotificationConfigsResponse.self, from: Data(buffer: $0.body))
                #expect(list.configs.count == 1)
            }
            for _ in 0..<2 {
                try await client.execute(uri: "/tasks/\(task.id)/pushNotificationConfigs/\(id)", method: .delete, headers: headers) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/tasks/\(task.id)/pushNotificationConfigs/\(id)", method: .get, headers: headers) {
                #expect($0.status == .notFound)
            }
            try await client.execute(
                uri: "/tasks/\(task.id)/pushNotificationConfigs", method: .post, headers: headers, body: try body(["url": "not a url"])
            ) { #expect($0.status == .badRequest) }
            try await client.execute(
                uri: "/tasks/unknown/pushNotificationConfigs", method: .post, headers: headers,
                body: try body(["url": "http://127.0.0.1:9/hook"])
            ) { #expect($0.status == .notFound) }
        }
    }
}

@Suite("Agent card")
struct AgentCardTests {
    let publisher = AgentCardPublisher(
        template: AgentCard(
            name: "x", description: "x", supportedInterfaces: [], version: "1", capabilities: .init(),
            defaultInputModes: [], defaultOutputModes: [], skills: []),
        publicURL: nil, fallbackHost: "127.0.0.1:7000")

    func request(authority: String, _ headers: HTTPFields = [:]) -> Request {
        Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/.well-known/agent-card.json", headerFields: headers),
            body: RequestBody(buffer: ByteBuffer()))
    }

    func served(_ request: Request) throws -> (notModified: Bool, card: AgentCard?, etag: String) {
        switch publisher.render(for: request) {
        case .notModified(let etag): return (true, nil, etag)
        case .card(let body, let etag): return (false, try A2AJSON.decode(AgentCard.self, from: body), etag)
        }
    }

    @Test func cardCarriesETagAndAnswers304() throws {
        let (_, card, etag) = try served(request(authority: "agent.example:8080"))
        #expect(card?.interface(binding: .jsonRPC)?.url == "http://agent.example:8080")
        #expect(card?.interface(binding: .httpJSON)?.url == "http://agent.example:8080")
        #expect(try served(request(authority: "agent.example:8080", [.ifNoneMatch: etag])).notModified)
        #expect(try !served(request(authority: "other.example", [.ifNoneMatch: etag])).notModified)
    }

    @Test func forwardedHeadersAndWildcardHosts() throws {
        let forwarded: HTTPFields = [
            HTTPField.Name("X-Forwarded-Proto")!: "https", HTTPField.Name("X-Forwarded-Host")!: "mesh.example.com",
        ]
        let (_, card, _) = try served(request(authority: "10.0.0.5:5000", forwarded))
        #expect(card?.supportedInterfaces.allSatisfy { $0.url == "https://mesh.example.com" } == true)
        let (_, wildcard, _) = try served(request(authority: "0.0.0.0:5000"))
        #expect(wildcard?.supportedInterfaces.allSatisfy { $0.url == "http://127.0.0.1:7000" } == true)
    }

    @Test func cardRouteIsServed() async throws {
        try await TestAgent().app.test(.router) { client in
            try await client.execute(uri: "/.well-known/agent-card.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.eTag] != nil)
                #expect(response.headers[.cacheControl]?.contains("max-age") == true)
                #expect(response.headers[.lastModified]?.hasSuffix("GMT") == true)
                let card = try A2AJSON.decode(AgentCard.self, from: Data(buffer: response.body))
                #expect(card.skills.map(\.id) == ["echo"])
            }
        }
    }

    @Test func publicURLWins() {
        let card = AgentCard(
            name: "x", description: "x", supportedInterfaces: [], version: "1", capabilities: .init(),
            defaultInputModes: [], defaultOutputModes: [], skills: [])
        let publisher = AgentCardPublisher(template: card, publicURL: "https://agents.example/a/", fallbackHost: "127.0.0.1:1")
        #expect(publisher.baseURL(for: request(authority: "x")) == "https://agents.example/a")
    }
}
