import A2A
import Foundation
import Testing

@testable import A2AClient

@Suite("Typed errors from response bodies")
struct ErrorDecodingTests {
    let url = "http://127.0.0.1:9/x"

    func kind(of body: () throws -> Any) -> A2AError.Kind? {
        do {
            _ = try body()
            return nil
        } catch let error as A2AClientError {
            return error.a2aError?.kind
        } catch {
            return nil
        }
    }

    @Test func jsonRPCErrorWithErrorInfoBecomesProtocolError() throws {
        let body = Data(
            #"{"error":{"code":-32001,"message":"Task not found","data":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TASK_NOT_FOUND","domain":"a2a-protocol.org","metadata":{"taskId":"t-1"}}]},"id":2,"jsonrpc":"2.0"}"#
                .utf8)
        let error = #expect(throws: A2AClientError.self) {
            try A2AClient.decodeJSONRPC(A2ATask.self, status: 200, body: body, url: url)
        }
        #expect(error?.a2aError?.kind == .taskNotFound)
        #expect(error?.a2aError?.message == "Task not found")
        #expect(error?.a2aError?.metadata == ["taskId": "t-1"])
    }

    @Test func jsonRPCErrorWithoutDataUsesTheCode() {
        let body = Data(#"{"error":{"code":-32002,"message":"Task cannot be canceled"},"id":1,"jsonrpc":"2.0"}"#.utf8)
        #expect(
            kind { try A2AClient.decodeJSONRPC(A2ATask.self, status: 200, body: body, url: url) } == .taskNotCancelable)
        let unknown = Data(#"{"error":{"code":-32601,"message":"Method not found"},"id":1,"jsonrpc":"2.0"}"#.utf8)
        #expect(
            kind { try A2AClient.decodeJSONRPC(A2ATask.self, status: 200, body: unknown, url: url) } == .methodNotFound)
    }

    @Test func jsonRPCErrorWithNonArrayDataStillDecodes() {
        let body = Data(
            #"{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"Invalid Request","data":"details"}}"#.utf8)
        #expect(
            kind { try A2AClient.decodeJSONRPC(A2ATask.self, status: 400, body: body, url: url) } == .invalidRequest)
    }

    @Test func jsonRPCNonJSONFailureBecomesHTTPStatus() {
        let body = Data("<html>502 Bad Gateway</html>".utf8)
        let error = #expect(throws: A2AClientError.self) {
            try A2AClient.decodeJSONRPC(A2ATask.self, status: 502, body: body, url: url)
        }
        guard case .httpStatus(let code, _, let excerpt) = error else {
            Issue.record("expected httpStatus, got \(String(describing: error))")
            return
        }
        #expect(code == 502)
        #expect(excerpt.contains("Bad Gateway"))
    }

    @Test func jsonRPCUndecodableResultIsInvalidResponse() {
        let body = Data(#"{"jsonrpc":"2.0","id":1,"result":{"unexpected":true}}"#.utf8)
        let error = #expect(throws: A2AClientError.self) {
            try A2AClient.decodeJSONRPC(A2ATask.self, status: 200, body: body, url: url)
        }
        guard case .invalidResponse(_, let reason) = error else {
            Issue.record("expected invalidResponse, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("id"))
    }

    @Test func jsonRPCResultDecodes() throws {
        let body = Data(
            #"{"jsonrpc":"2.0","id":"x","result":{"id":"t","contextId":"c","status":{"state":"TASK_STATE_WORKING"}}}"#
                .utf8)
        let task = try A2AClient.decodeJSONRPC(A2ATask.self, status: 200, body: body, url: url)
        #expect(task.id == "t")
        #expect(task.status.state == .working)
        let empty = Data(#"{"jsonrpc":"2.0","id":"x","result":null}"#.utf8)
        _ = try A2AClient.decodeJSONRPC(EmptyResponse.self, status: 200, body: empty, url: url)
    }

    @Test func httpJSONStatusBodyBecomesProtocolError() {
        let notFound = Data(
            #"{"error":{"code":404,"status":"NOT_FOUND","message":"Task not found","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TASK_NOT_FOUND","domain":"a2a-protocol.org","metadata":{}}]}}"#
                .utf8)
        #expect(
            kind { try A2AClient.decodeHTTPJSON(A2ATask.self, status: 404, body: notFound, url: url) } == .taskNotFound)
        // Several kinds share HTTP 400; the ErrorInfo reason tells them apart.
        let notCancelable = Data(
            #"{"error":{"code":400,"status":"FAILED_PRECONDITION","message":"no","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TASK_NOT_CANCELABLE","domain":"a2a-protocol.org"}]}}"#
                .utf8)
        #expect(
            kind { try A2AClient.decodeHTTPJSON(A2ATask.self, status: 400, body: notCancelable, url: url) }
                == .taskNotCancelable)
    }

    @Test func httpJSONPlainFailureBecomesHTTPStatusWithExcerpt() {
        let body = Data(("Internal Server Error " + String(repeating: "x", count: 1000)).utf8)
        let error = #expect(throws: A2AClientError.self) {
            try A2AClient.decodeHTTPJSON(A2ATask.self, status: 500, body: body, url: url)
        }
        guard case .httpStatus(500, let failedURL, let excerpt) = error else {
            Issue.record("expected httpStatus 500, got \(String(describing: error))")
            return
        }
        #expect(failedURL == url)
        #expect(excerpt.hasPrefix("Internal Server Error"))
        #expect(excerpt.count < 400)
    }

    @Test func httpJSONUndecodableSuccessIsInvalidResponse() {
        let error = #expect(throws: A2AClientError.self) {
            try A2AClient.decodeHTTPJSON(A2ATask.self, status: 200, body: Data("[]".utf8), url: url)
        }
        guard case .invalidResponse = error else {
            Issue.record("expected invalidResponse, got \(String(describing: error))")
            return
        }
    }

    @Test func streamEventsCarryErrorsForBothBindings() throws {
        let rpcError = ServerSentEvent(
            data:
                #"{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"gone","data":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"TASK_NOT_FOUND","domain":"a2a-protocol.org"}]}}"#
        )
        #expect(
            kind { try A2AEventStream.AsyncIterator.decode(rpcError, binding: .jsonRPC, url: url) } == .taskNotFound)

        let restError = ServerSentEvent(
            event: "error", data: #"{"error":{"code":500,"status":"INTERNAL","message":"boom"}}"#)
        #expect(
            kind { try A2AEventStream.AsyncIterator.decode(restError, binding: .httpJSON, url: url) } == .internalError)

        let rpcEvent = ServerSentEvent(
            data:
                #"{"jsonrpc":"2.0","id":1,"result":{"statusUpdate":{"taskId":"t","contextId":"c","status":{"state":"TASK_STATE_COMPLETED"}}}}"#
        )
        let restEvent = ServerSentEvent(
            data: #"{"statusUpdate":{"taskId":"t","contextId":"c","status":{"state":"TASK_STATE_COMPLETED"}}}"#)
        for (event, binding) in [(rpcEvent, ProtocolBinding.jsonRPC), (restEvent, .httpJSON)] {
            let response = try A2AEventStream.AsyncIterator.decode(event, binding: binding, url: url)
            guard case .statusUpdate(let update) = response else {
                Issue.record("expected a status update, got \(response)")
                continue
            }
            #expect(update.status.state == .completed)
        }
    }

    @Test func agentCardDecodingSaysWhatIsWrong() {
        let notJSON = #expect(throws: A2AClientError.self) {
            try AgentCardResolver.decodeCard(Data("<html></html>".utf8), url: url)
        }
        guard case .invalidAgentCard(_, let reason) = notJSON else {
            Issue.record("expected invalidAgentCard, got \(String(describing: notJSON))")
            return
        }
        #expect(reason.contains("not a JSON object"))

        let notACard = #expect(throws: A2AClientError.self) {
            try AgentCardResolver.decodeCard(Data(#"{"hello":"world"}"#.utf8), url: url)
        }
        guard case .invalidAgentCard(_, let missing) = notACard else {
            Issue.record("expected invalidAgentCard, got \(String(describing: notACard))")
            return
        }
        #expect(missing.contains("missing key"))
    }
}
