import A2A
import A2AClient
import ArgumentParser
import Foundation

/// `mesh send URL TEXT`: sends one message to an agent and prints the reply or the streamed events.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Send a message to an A2A agent and print its reply.")

    /// The bindings a user can pick.
    enum Binding: String, ExpressibleByArgument, CaseIterable {
        case jsonrpc
        case httpJSON = "http-json"

        var protocolBinding: ProtocolBinding { self == .jsonrpc ? .jsonRPC : .httpJSON }
    }

    @Argument(help: "The agent's base URL (e.g. http://127.0.0.1:5001), or the full URL of its card.")
    var url: String

    @Argument(help: "The text of the message.")
    var text: String

    @Flag(help: "Use SendStreamingMessage and print each event as it arrives.")
    var stream = false

    @Option(help: "The binding to use: jsonrpc or http-json (default: the card's first usable interface).")
    var binding: Binding?

    @Option(name: .customLong("context-id"), help: "Continue this conversation.")
    var contextID: String?

    @Option(name: .customLong("task-id"), help: "Send to this existing task, e.g. one that asked for input.")
    var taskID: String?

    @Option(name: .customLong("header"), help: "An extra HTTP header, 'Name: value' (repeatable).")
    var headers: [String] = []

    @Flag(help: "Print JSON: the whole reply, or one event per line with --stream.")
    var json = false

    func validate() throws {
        for header in headers where !header.contains(":") {
            throw ValidationError("--header '\(header)' is not 'Name: value'")
        }
    }

    func run() async throws {
        do {
            let client = try await makeClient()
            let message = Message(
                messageId: UUID().uuidString, contextId: contextID, taskId: taskID, role: .user, parts: [.text(text)])
            let request = SendMessageRequest(message: message)
            if stream {
                for try await event in try await client.sendStreamingMessage(request) {
                    // Written unbuffered, so each event shows as soon as it arrives, even through a pipe.
                    let line = json ? try ClientOutput.compactJSON(event) : ClientOutput.line(for: event)
                    do {
                        try FileHandle.standardOutput.write(contentsOf: Data((line + "\n").utf8))
                    } catch {
                        return  // the reader went away (e.g. `| head`); nothing left to show
                    }
                }
            } else {
                let response = try await client.sendMessage(request)
                print(json ? try ClientOutput.prettyJSON(response) : Self.describe(response))
            }
        } catch {
            throw ClientOutput.fail("send", error)
        }
    }

    private func makeClient() async throws -> A2AClient {
        var configuration = A2AClientConfiguration(timeout: .seconds(60))
        configuration.headers = headers.map { header in
            let parts = header.split(separator: ":", maxSplits: 1)
            return (
                String(parts[0]).trimmingCharacters(in: .whitespaces),
                String(parts[1]).trimmingCharacters(in: .whitespaces)
            )
        }
        if let binding { configuration.preferredBindings = [binding.protocolBinding] }
        let card = try await AgentCardResolver(configuration: configuration).resolve(url)
        return try A2AClient(card: card, configuration: configuration)
    }

    /// A reply as readable lines: the task's state, its status message and its artifacts, or the message text.
    static func describe(_ response: SendMessageResponse) -> String {
        switch response {
        case .message(let message):
            return "message: " + ClientOutput.text(of: message.parts)
        case .task(let task):
            var lines = ["task \(task.id) \(ClientOutput.stateName(task.status.state)) (context \(task.contextId))"]
            if let message = task.status.message, !message.parts.isEmpty {
                lines.append("status: " + ClientOutput.text(of: message.parts))
            }
            for artifact in task.artifacts ?? [] {
                lines.append(
                    "artifact \(artifact.name ?? artifact.artifactId): " + ClientOutput.text(of: artifact.parts))
            }
            return lines.joined(separator: "\n")
        }
    }
}
