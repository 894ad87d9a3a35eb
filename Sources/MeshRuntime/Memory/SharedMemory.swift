import A2A
import Foundation

/// The memory agents share: a conversation's working memory, and the knowledge base `retrieve` ranks.
///
/// Values are JSON. Working memory belongs to a context id (the A2A `contextId`), so every agent that
/// takes part in a conversation sees the same notes.
public protocol SharedMemory: Sendable {
    /// The value stored under `name` in a conversation's memory.
    nonisolated(nonsending) func read(context: String, name: String) async throws -> JSONValue?
    /// Stores `value` under `name`, replacing what was there.
    nonisolated(nonsending) func write(context: String, name: String, value: JSONValue) async throws
    /// Adds `value` to the end of the list under `name` (a log that several agents append to).
    nonisolated(nonsending) func append(context: String, name: String, value: JSONValue) async throws
    /// The values appended under `name`, oldest first.
    nonisolated(nonsending) func entries(context: String, name: String) async throws -> [JSONValue]
    /// Every value written (not appended) in a conversation, by name.
    nonisolated(nonsending) func all(context: String) async throws -> JSONObject

    /// Stores a knowledge-base chunk, replacing one with the same id.
    nonisolated(nonsending) func store(_ chunk: KnowledgeChunk) async throws
    /// The chunk with this id.
    nonisolated(nonsending) func chunk(id: String) async throws -> KnowledgeChunk?
    /// The ids of all chunks.
    nonisolated(nonsending) func chunkIDs() async throws -> [String]
    /// Removes the chunks with these ids (unknown ids are ignored).
    nonisolated(nonsending) func removeChunks(ids: [String]) async throws
    /// A number that changes whenever a chunk is stored or removed, so a reader can keep an index of the
    /// knowledge base and rebuild it only when this moves.
    nonisolated(nonsending) func knowledgeVersion() async throws -> Int
}

/// One passage of the knowledge base.
public struct KnowledgeChunk: Sendable, Hashable, Codable {
    public var id: String
    public var text: String
    /// Where the passage came from, e.g. a file name.
    public var source: String?
    public var metadata: JSONObject?

    public init(id: String, text: String, source: String? = nil, metadata: JSONObject? = nil) {
        self.id = id
        self.text = text
        self.source = source
        self.metadata = metadata
    }
}

extension SharedMemory {
    /// Every chunk, fetched in the order of their ids.
    public func chunks() async throws -> [KnowledgeChunk] {
        var result: [KnowledgeChunk] = []
        for id in try await chunkIDs().sorted() {
            if let chunk = try await chunk(id: id) { result.append(chunk) }
        }
        return result
    }
}
