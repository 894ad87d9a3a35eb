import A2A
import A2AClient
import Foundation
import MeshTesting

/// `Tests/interop/reference_agent.py`, an a2a-sdk agent, running as a separate process on a free port.
struct ReferenceAgent: Sendable {
    let baseURL: String
    let process: ManagedProcess

    /// Starts the agent, waits for its card, runs `body`, and stops the agent by its pid.
    ///
    /// The port is free when picked but another test's process can take it before the agent binds it; an
    /// agent that exits before it is ready is therefore started again on another port (at most three times).
    static func withRunning<Result: Sendable>(_ body: (ReferenceAgent) async throws -> Result) async throws -> Result {
        let python = try TestEnvironment.python()
        let script = try TestEnvironment.interopFile("reference_agent.py")
        var attempt = 1
        while true {
            let port = try freeLoopbackPort()
            let process = try ManagedProcess.launch(
                name: "reference-agent", executable: python, arguments: [script, "--port", "\(port)"],
                environment: ["PYTHONUNBUFFERED": "1"])
            let agent = ReferenceAgent(baseURL: "http://127.0.0.1:\(port)", process: process)
            do {
                try await process.waitUntilReady(url: agent.baseURL + "/.well-known/agent-card.json")
            } catch MeshTestingError.exitedEarly where attempt < 3 {
                attempt += 1
                continue
            } catch {
                await process.terminate()
                throw error
            }
            do {
                let result = try await body(agent)
                await process.terminate()
                process.removeLogs()
                return result
            } catch {
                await process.terminate()
                throw error
            }
        }
    }

    /// A client that resolves the card and uses `binding`.
    func client(_ binding: ProtocolBinding) async throws -> A2AClient {
        try await A2AClient.connect(
            to: baseURL, configuration: A2AClientConfiguration(preferredBindings: [binding], timeout: .seconds(20)))
    }
}

/// A user message whose id prefix selects the reference agent's behaviour (see reference_agent.py).
func userMessage(
    _ text: String, prefix: String = "", contextId: String? = nil, taskId: String? = nil
) -> SendMessageRequest {
    SendMessageRequest(
        message: Message(
            messageId: prefix + UUID().uuidString, contextId: contextId, taskId: taskId, role: .user,
            parts: [.text(text)]))
}

extension SendMessageResponse {
    /// The task, or `nil` for a message reply.
    var task: A2ATask? {
        if case .task(let task) = self { return task }
        return nil
    }
}

/// The A2A error kind an operation failed with, or `nil` if it succeeded or failed otherwise.
func a2aErrorKind(_ operation: () async throws -> Void) async -> A2AError.Kind? {
    do {
        try await operation()
        return nil
    } catch let error as A2AClientError {
        return error.a2aError?.kind
    } catch {
        return nil
    }
}
