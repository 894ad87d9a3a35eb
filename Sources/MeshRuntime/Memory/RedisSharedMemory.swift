import A2A
import Foundation
import Redis

/// ``SharedMemory`` in Redis: a hash and lists per conversation (expiring after a quiet period), and
/// one hash per knowledge-base chunk with a set of their ids.
public final class RedisSharedMemory: SharedMemory {
    let redis: any RedisCommandRunner
    let keys: RedisKeys
    /// A conversation's memory expires this long after its last write.
    let contextTTL: Duration

    public init(redis: any RedisCommandRunner, keys: RedisKeys, contextTTL: Duration = .seconds(7 * 86_400)) {
        self.redis = redis
        self.keys = keys
        self.contextTTL = contextTTL
    }

    public nonisolated(nonsending) func read(context: String, name: String) async throws -> JSONValue? {
        try decode(try await redis.run(RedisCommand("HGET", RedisArgument(keys.contextMemory(context)), RedisArgument(name))))
    }

    public nonisolated(nonsending) func write(context: String, name: String, value: JSONValue) async throws {
        let key = RedisArgument(keys.contextMemory(context))
        try check(try await redis.pipeline([
            RedisCommand("HSET", key, RedisArgument(name), try encode(value)),
            RedisCommand("EXPIRE", key, RedisArgument(contextTTL.components.seconds)),
        ]))
    }

    public nonisolated(nonsending) func append(context: String, name: String, value: JSONValue) async throws {
        let key = RedisArgument(keys.contextLog(context, name))
        try check(try await redis.pipeline([
            RedisCommand("RPUSH", key, try encode(value)),
            RedisCommand("EXPIRE", key, RedisArgument(contextTTL.components.seconds)),
        ]))
    }

    public nonisolated(nonsending) func entries(context: String, name: String) async throws -> [JSONValue] {
        let reply = try await redis.run(RedisCommand("LRANGE", RedisArgument(keys.contextLog(context, name)), 0, -1))
        return try (reply.array ?? []).compactMap(decode)
    }

    public nonisolated(nonsending) func all(context: String) async throws -> JSONObject {
        let reply = try await redis.run(RedisCommand("HGETALL", RedisArgument(keys.contextMemory(context))))
        let flat = reply.array ?? []
        var result: JSONObject = [:]
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let name = flat[index].string, let value = try decode(flat[index + 1]) { result[name] = value }
        }
        return result
    }

    public nonisolated(nonsending) func store(_ chunk: KnowledgeChunk) async throws {
        try check(try await redis.pipeline([
            RedisCommand(
                "HSET", RedisArgument(keys.knowledgeChunk(chunk.id)), "json",
                RedisArgument(bytes: Array(try A2AJSON.encode(chunk))), "text", RedisArgument(chunk.text)),
            RedisCommand("SADD", RedisArgument(keys.knowledgeIndex), RedisArgument(chunk.id)),
        ]))
    }

    public nonisolated(nonsending) func chunk(id: String) async throws -> KnowledgeChunk? {
        guard case .bulkString(let json) = try await redis.run(
            RedisCommand("HGET", RedisArgument(keys.knowledgeChunk(id)), "json"))
        else { return nil }
        return try A2AJSON.decode(KnowledgeChunk.self, from: Data(json))
    }

    public nonisolated(nonsending) func chunkIDs() async throws -> [String] {
        var cursor = "0"
        var ids: [String] = []
        repeat {
            let reply = try await redis.run(
                RedisCommand("SSCAN", RedisArgument(keys.knowledgeIndex), RedisArgument(cursor), "COUNT", 500))
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string else {
                throw RedisError.protocolError("SSCAN answered \(reply)")
            }
            ids += (parts[1].array ?? []).compactMap(\.string)
            cursor = next
        } while cursor != "0"
        return ids
    }

    private func encode(_ value: JSONValue) throws -> RedisArgument {
        RedisArgument(bytes: Array(try A2AJSON.encode(value)))
    }

    private func decode(_ reply: RESPValue) throws -> JSONValue? {
        guard case .bulkString(let json) = reply else { return nil }
        return try A2AJSON.decode(JSONValue.self, from: Data(json))
    }

    private func check(_ replies: [RESPValue]) throws {
        for case .error(let message) in replies { throw RedisError.server(message) }
    }
}
