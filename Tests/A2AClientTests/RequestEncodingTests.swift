import A2A
import Foundation
import Testing

@testable import A2AClient

@Suite("Request encoding")
struct RequestEncodingTests {
    let base = "http://127.0.0.1:9000/rest"

    @Test func getTaskPercentEncodesTheIdAndAddsHistoryLength() {
        let route = HTTPJSONRoute.getTask(GetTaskRequest(id: "a/b c?#", historyLength: 3))
        #expect(route.method == "GET")
        #expect(route.url(base: base + "/") == base + "/tasks/a%2Fb%20c%3F%23?historyLength=3")
        #expect(route.body == nil)
    }

    @Test func listTasksPutsEveryFilterInTheQuery() throws {
        let after = try #require(Timestamp(iso8601: "2025-11-09T10:30:00.000Z"))
        let request = ListTasksRequest(
            contextId: "ctx 1", status: .working, pageSize: 50, pageToken: "abc=/+", historyLength: 0,
            statusTimestampAfter: after, includeArtifacts: true)
        let route = HTTPJSONRoute.listTasks(request)
        #expect(
            route.url(base: base)
                == base + "/tasks?contextId=ctx%201&status=TASK_STATE_WORKING&pageSize=50&pageToken=abc%3D%2F%2B"
                + "&historyLength=0&statusTimestampAfter=2025-11-09T10%3A30%3A00.000Z&includeArtifacts=true")
        #expect(HTTPJSONRoute.listTasks(ListTasksRequest()).url(base: base) == base + "/tasks")
    }

    @Test func taskOperationsUseTheSpecPaths() throws {
        let cancel = try HTTPJSONRoute.cancelTask(CancelTaskRequest(id: "t 1"))
        #expect(cancel.method == "POST")
        #expect(cancel.path == "/tasks/t%201:cancel")
        let cancelBody = try #require(cancel.body)
        let body = try JSONSerialization.jsonObject(with: cancelBody) as? [String: Any]
        #expect(body?["id"] as? String == "t 1")

        let subscribe = HTTPJSONRoute.subscribeToTask(SubscribeToTaskRequest(id: "t1"))
        #expect(subscribe.method == "POST")
        #expect(subscribe.path == "/tasks/t1:subscribe")
        #expect(subscribe.streaming)

        #expect(try HTTPJSONRoute.sendMessage(message(), streaming: false).path == "/message:send")
        #expect(try HTTPJSONRoute.sendMessage(message(), streaming: true).path == "/message:stream")
        #expect(HTTPJSONRoute.getExtendedAgentCard(GetExtendedAgentCardRequest()).path == "/extendedAgentCard")
    }

    @Test func pushConfigOperationsUseTheSpecPaths() throws {
        let create = try HTTPJSONRoute.createPushConfig(TaskPushNotificationConfig(taskId: "t/1", url: "http://h/x"))
        #expect(create.method == "POST")
        #expect(create.path == "/tasks/t%2F1/pushNotificationConfigs")
        let ids = TaskPushNotificationConfigRequest(taskId: "t1", id: "c 1")
        #expect(HTTPJSONRoute.getPushConfig(ids).method == "GET")
        #expect(HTTPJSONRoute.getPushConfig(ids).path == "/tasks/t1/pushNotificationConfigs/c%201")
        #expect(HTTPJSONRoute.deletePushConfig(ids).method == "DELETE")
        #expect(HTTPJSONRoute.deletePushConfig(ids).path == "/tasks/t1/pushNotificationConfigs/c%201")
        let list = HTTPJSONRoute.listPushConfigs(ListTaskPushNotificationConfigsRequest(taskId: "t1", pageSize: 2))
        #expect(list.url(base: base) == base + "/tasks/t1/pushNotificationConfigs?pageSize=2")
    }

    @Test func tenantPrefixesThePath() throws {
        #expect(HTTPJSONRoute.getTask(GetTaskRequest(tenant: "acme", id: "t1")).path == "/acme/tasks/t1")
        #expect(try HTTPJSONRoute.sendMessage(message(tenant: "acme"), streaming: false).path == "/acme/message:send")
    }

    @Test func jsonRPCEnvelopeCarriesMethodAndParams() throws {
        let wire = try A2AClient.jsonRPCRequest(
            url: "http://127.0.0.1:9000/", method: .getTask, params: GetTaskRequest(id: "t1", historyLength: 2),
            id: .number(7))
        #expect(wire.method == "POST")
        #expect(wire.contentType == "application/json")
        let body = try #require(wire.body)
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(object["jsonrpc"] as? String == "2.0")
        #expect(object["id"] as? Int == 7)
        #expect(object["method"] as? String == "GetTask")
        let params = try #require(object["params"] as? [String: Any])
        #expect(params["id"] as? String == "t1")
        #expect(params["historyLength"] as? Int == 2)
        let streaming = try A2AClient.jsonRPCRequest(
            url: "http://h/", method: .subscribeToTask, params: SubscribeToTaskRequest(id: "t"))
        #expect(streaming.accept == "text/event-stream")
    }

    @Test func endpointIsChosenByPreferenceAndVersion() throws {
        let card = AgentCard(
            name: "a", description: "d",
            supportedInterfaces: [
                AgentInterface(url: "http://h/old", protocolBinding: "JSONRPC", protocolVersion: "0.3"),
                AgentInterface(url: "http://h/rest", protocolBinding: "HTTP+JSON", tenant: "t1"),
                AgentInterface(url: "http://h/rpc", protocolBinding: "JSONRPC"),
            ], version: "1", capabilities: AgentCapabilities(), defaultInputModes: [], defaultOutputModes: [],
            skills: [])
        #expect(try A2AClient.chooseEndpoint(from: card, preferring: [.jsonRPC, .httpJSON]).url == "http://h/rpc")
        let rest = try A2AClient.chooseEndpoint(from: card, preferring: [.httpJSON])
        #expect(rest == A2AEndpoint(url: "http://h/rest", binding: .httpJSON, tenant: "t1"))
        #expect(throws: A2AClientError.self) { try A2AClient.chooseEndpoint(from: card, preferring: [.grpc]) }
    }

    @Test func cardURLIsTheWellKnownPathUnlessGivenInFull() {
        #expect(AgentCardResolver.cardURL(for: "http://h:1") == "http://h:1/.well-known/agent-card.json")
        #expect(AgentCardResolver.cardURL(for: "http://h:1/") == "http://h:1/.well-known/agent-card.json")
        #expect(AgentCardResolver.cardURL(for: "http://h:1/card.json") == "http://h:1/card.json")
    }

    func message(tenant: String? = nil) -> SendMessageRequest {
        SendMessageRequest(tenant: tenant, message: Message(messageId: "m", role: .user, parts: [.text("hi")]))
    }
}
