import A2A
import A2AServer
import Foundation
import MeshRuntime
import Synchronization

/// The `retrieve` skill kind: ranks the knowledge base's passages for a query with BM25.
///
/// The query is the message's text, or the `query` field of a data part. The ranked passages go into the
/// conversation's shared memory under `retrieve` (so the next worker reads them) and come back as one
/// artifact with a data part (`{query, passages: [{id, source, score, text}]}`) and a readable text part.
/// The index is built once per knowledge-base version, so ingesting new files is picked up on the next call.
public struct RetrieveSkill: Sendable {
    /// How many passages a query returns.
    public var topK: Int
    let memory: any SharedMemory
    let cache = IndexCache()

    public init(memory: any SharedMemory, topK: Int = 5) {
        self.memory = memory
        self.topK = max(1, topK)
    }

    /// The query a message asks for: a data part's `query`, else its text.
    public static func query(of message: Message) -> String {
        for part in message.parts {
            if case .data(.object(let object)) = part.content, case .string(let query)? = object["query"] {
                return query
            }
        }
        return message.text
    }

    /// The passages for `query`, best first.
    public func rank(_ query: String) async throws -> [BM25Index.Hit] {
        try await index().search(query, topK: topK)
    }

    /// Runs the skill for one request.
    public nonisolated(nonsending) func execute(_ request: AgentRequest, updater: TaskUpdater) async throws {
        let query = Self.query(of: request.message).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else {
            try await updater.reject(updater.agentMessage("retrieve needs a query: send text, or a data part with \"query\""))
            return
        }
        try await execute(query: query, contextId: request.contextId, updater: updater)
    }

    /// Ranks passages for `query`, records them in `contextId`'s shared memory and completes the task.
    public nonisolated(nonsending) func execute(query: String, contextId: String, updater: TaskUpdater) async throws {
        try await updater.startWork()
        let hits = try await rank(query)
        let passages: [JSONValue] = hits.map { hit in
            .object([
                "id": .string(hit.chunk.id), "source": .string(hit.chunk.source ?? ""),
                "score": .number((hit.score * 1000).rounded() / 1000), "text": .string(hit.chunk.text),
            ])
        }
        let result = JSONValue.object(["query": .string(query), "passages": .array(passages)])
        try await memory.write(context: contextId, name: "retrieve", value: result)
        let readable =
            hits.isEmpty
            ? "No passage of the knowledge base matches \"\(query)\"."
            : hits.enumerated().map { index, hit in
                "\(index + 1). [\(hit.chunk.source ?? hit.chunk.id)] \(hit.chunk.text)"
            }.joined(separator: "\n\n")
        try await updater.addArtifact([.data(result), .text(readable)], name: "passages", lastChunk: true)
        try await updater.complete()
    }

    /// The index of the current knowledge-base version, rebuilt only when the version moved.
    func index() async throws -> BM25Index {
        let version = try await memory.knowledgeVersion()
        if let cached = cache.state.withLock({ $0?.version == version ? $0?.index : nil }) { return cached }
        let index = BM25Index(chunks: try await memory.chunks())
        cache.state.withLock { $0 = (version, index) }
        return index
    }

    final class IndexCache: Sendable {
        let state = Mutex<(version: Int, index: BM25Index)?>(nil)
    }
}
