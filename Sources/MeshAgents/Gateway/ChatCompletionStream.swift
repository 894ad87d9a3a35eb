import Foundation
import Hummingbird
import NIOCore

/// A gateway stream written as OpenAI `chat.completion.chunk` events, ending with `data: [DONE]`.
struct ChatCompletionStream: Sendable {
    let events: LLMEventStream
    let includeUsage: Bool
    /// The model named in chunks until the provider's own name for it arrives with the last one.
    let requestedModel: String
    let id = "chatcmpl-\(UUID().uuidString.lowercased())"
    let created = Int(Date().timeIntervalSince1970)

    func response() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                do {
                    var model = requestedModel
                    var first = true
                    for try await event in events {
                        switch event {
                        case .delta(let text):
                            // OpenAI's first chunk carries the role; the model is not known yet, so it is empty there.
                            let delta = OpenAIChatChunk.Choice.Delta(role: first ? "assistant" : nil, content: text)
                            first = false
                            try await writer.write(frame(chunk(model: model, choices: [.init(index: 0, delta: delta)])))
                        case .finished(let response):
                            model = response.model
                            let last = OpenAIChatChunk.Choice(index: 0, delta: .init(), finishReason: response.finishReason)
                            try await writer.write(frame(chunk(model: model, choices: [last])))
                            if includeUsage {
                                var usage = chunk(model: model, choices: [])
                                usage.usage = OpenAIUsage(response.usage)
                                try await writer.write(frame(usage))
                            }
                        }
                    }
                } catch {
                    // Headers are gone already, so the error travels in the stream, as OpenAI does.
                    var failure = chunk(model: "", choices: nil)
                    failure.error = .init(message: String(describing: error))
                    try await writer.write(frame(failure))
                }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            })
    }

    func chunk(model: String, choices: [OpenAIChatChunk.Choice]?) -> OpenAIChatChunk {
        OpenAIChatChunk(id: id, object: "chat.completion.chunk", created: created, model: model, choices: choices)
    }

    func frame(_ chunk: OpenAIChatChunk) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeData(ProviderHTTP.encode(chunk))
        buffer.writeString("\n\n")
        return buffer
    }
}
