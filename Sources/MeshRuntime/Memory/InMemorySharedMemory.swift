import A2A
import Synchronization

/// ``SharedMemory`` for a single process (tests, and agents run without Redis).
public final class InMemorySharedMemory: SharedMemory {
    private struct State {
        var values: [String: JSONObject] = [:]
        var logs: [String: [String: [JSONValue]]] = [:]
        var chunks: [String: KnowledgeChunk] = [:]
        var knowledgeVersion = 0
    }

    private let state = Mutex(State())

    public init() {}

    public nonisolated(nonsending) func read(context: String, name: String) async throws -> JSONValue? {
        state.withLock { $0.values[context]?[name] }
    }

    public nonisolated(nonsending) func write(context: String, name: String, value: JSONValue) async throws {
        state.withLock { $0.values[context, default: [:]][name] = value }
    }

    public nonisolated(nonsending) func append(context: String, name: String, value: JSONValue) async throws {
        state.withLock { $0.logs[context, default: [:]][name, default: []].append(value) }
    }

    public nonisolated(nonsending) func entries(context: String, name: String) async throws -> [JSONValue] {
        state.withLock { $0.logs[context]?[name] ?? [] }
    }

    public nonisolated(nonsending) func all(context: String) async throws -> JSONObject {
        state.withLock { $0.values[context] ?? [:] }
    }

    public nonisolated(nonsending) func store(_ chunk: KnowledgeChunk) async throws {
        state.withLock { state in
            state.chunks[chunk.id] = chunk
            state.knowledgeVersion += 1
        }
    }

    public nonisolated(nonsending) func chunk(id: String) async throws -> KnowledgeChunk? {
        state.withLock { $0.chunks[id] }
    }

    public nonisolated(nonsending) func chunkIDs() async throws -> [String] {
        state.withLock { Array($0.chunks.keys) }
    }

    public nonisolated(nonsending) func removeChunks(ids: [String]) async throws {
        state.withLock { state in
            for id in ids { state.chunks[id] = nil }
            state.knowledgeVersion += 1
        }
    }

    public nonisolated(nonsending) func knowledgeVersion() async throws -> Int {
        state.withLock { $0.knowledgeVersion }
    }
}
