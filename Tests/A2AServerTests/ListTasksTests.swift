import A2A
@testable import A2AServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("ListTasks")
struct ListTasksTests {
    @Test func pagesThroughAllTasksNewestFirst() async throws {
        try await TestAgent().app.test(.router) { client in
            var created: [A2ATask] = []
            for index in 0..<5 { created.append(try await client.sendTask("task \(index)")) }
            var seen: [String] = []
            var token: String?
            repeat {
                var params: JSONObject = ["pageSize": 2]
                if let token { params["pageToken"] = .string(token) }
                let page = try #require(try await client.rpc("ListTasks", .object(params), as: ListTasksResponse.self).result)
                #expect(page.totalSize == 5)
                #expect(page.pageSize == 2)
                #expect(page.tasks.allSatisfy { $0.artifacts == nil })
                seen += page.tasks.map(\.id)
                token = page.nextPageToken.isEmpty ? nil : page.nextPageToken
            } while token != nil
            #expect(seen.count == 5)
            #expect(Set(seen) == Set(created.map(\.id)))
            #expect(seen.first == created.last?.id)
        }
    }

    @Test func filtersByContextAndState() async throws {
        try await TestAgent().app.test(.router) { client in
            let first = try await client.sendTask("a", extra: ["contextId": "ctx-1"])
            _ = try await client.sendTask("b", extra: ["contextId": "ctx-1"])
            _ = try await client.sendTask("c", extra: ["contextId": "ctx-2"])
            let asked = try await client.sendTask("ask", extra: ["contextId": "ctx-2"])
            #expect(first.contextId == "ctx-1")
            let byContext = try await client.rpc("ListTasks", ["contextId": "ctx-1", "includeArtifacts": true], as: ListTasksResponse.self)
            #expect(byContext.result?.tasks.count == 2)
            #expect(byContext.result?.tasks.allSatisfy { $0.artifacts?.isEmpty == false } == true)
            let waiting = try await client.rpc("ListTasks", ["status": "TASK_STATE_INPUT_REQUIRED"], as: ListTasksResponse.self)
            #expect(waiting.result?.tasks.map(\.id) == [asked.id])
            let future = try await client.rpc("ListTasks", ["statusTimestampAfter": "2999-01-01T00:00:00Z"], as: ListTasksResponse.self)
            #expect(future.result?.tasks.isEmpty == true)
            #expect(future.result?.nextPageToken == "")
            let noHistory = try await client.rpc("ListTasks", ["historyLength": 0], as: ListTasksResponse.self)
            #expect(noHistory.result?.tasks.allSatisfy { $0.history == nil } == true)
        }
    }

    @Test func rejectsBadPagingParameters() async throws {
        try await TestAgent().app.test(.router) { client in
            #expect(try await client.rpc("ListTasks", ["pageSize": 0], as: ListTasksResponse.self).error?.code == -32602)
            #expect(try await client.rpc("ListTasks", ["pageSize": 1000], as: ListTasksResponse.self).error?.code == -32602)
            let token = try await client.rpc("ListTasks", ["pageToken": "garbage"], as: ListTasksResponse.self)
            #expect(token.error?.code == -32602)
            #expect(token.error?.message.contains("pageToken") == true)
            let state = try await client.rpc("ListTasks", ["status": "DONE"], as: ListTasksResponse.self)
            #expect(state.error?.code == -32602)
        }
    }
}

@Suite("In-memory task store")
struct InMemoryTaskStoreTests {
    func task(_ id: String, _ state: TaskState) -> A2ATask {
        A2ATask(id: id, contextId: "c", status: TaskStatus(state: state))
    }

    @Test func evictsTerminalTasksByCountButKeepsRunningOnes() async throws {
        let store = InMemoryTaskStore(retention: .init(maxTerminalTasks: 3, maxAge: .seconds(3600)))
        try await store.save(task("running", .working))
        for index in 0..<10 { try await store.save(task("done-\(index)", .completed)) }
        #expect(store.count == 4)
        #expect(try await store.task(id: "running") != nil)
        #expect(try await store.task(id: "done-0") == nil)
        #expect(try await store.task(id: "done-9") != nil)
    }

    @Test func evictsTerminalTasksByAge() async throws {
        let store = InMemoryTaskStore(retention: .init(maxTerminalTasks: 100, maxAge: .milliseconds(50)))
        try await store.save(task("old", .failed))
        try await Task.sleep(for: .milliseconds(120))
        try await store.save(task("new", .completed))
        #expect(try await store.task(id: "old") == nil)
        #expect(try await store.task(id: "new") != nil)
    }

    @Test func cursorTokensRoundTripAndRejectForgeries() {
        let cursor = TaskCursor(micros: 1_700_000_000_000_000, id: "abc")
        #expect(TaskCursor(token: cursor.token) == cursor)
        #expect(TaskCursor(token: "not-a-token") == nil)
    }
}
