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
        try await redis.hget(keys.contextMemory(context), field: name).map(decode)
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
        try await redis.lrange(keys.contextLog(context, name)).map(decode)
    }

    public nonisolated(nonsending) func all(context: String) async throws -> JSONObject {
        try await redis.hgetall(keys.contextMemory(context)).mapValues(decode)
    }

    public nonisolated(nonsending) func store(_ chunk: KnowledgeChunk) async throws {
        try check(try await redis.pipeline([
            RedisCommand(
                "HSET", RedisArgument(keys.knowledgeChunk(chunk.id)), "json",
                RedisArgument(bytes: Array(try A2AJSON.encode(chunk))), "text", RedisArgument(chunk.text)),
            RedisCommand("SADD", RedisArgument(keys.knowledgeIndex), RedisArgument(chunk.id)),
            RedisCommand("INCR", RedisArgument(keys.knowledgeVersion)),
        ]))
    }

    public nonisolated(nonsending) func removeChunks(ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        var commands = ids.map { RedisCommand("DEL", RedisArgument(keys.knowledgeChunk($0))) }
        commands.append(RedisCommand("SREM", [RedisArgument(keys.knowledgeIndex)] + ids.map { RedisArgument($0) }))
        commands.append(RedisCommand("INCR", RedisArgument(keys.knowledgeVersion)))
        try check(try await redis.pipeline(commands))
    }

    public nonisolated(nonsending) func knowledgeVersion() async throws -> Int {
        try await redis.run(RedisCommand("GET", RedisArgument(keys.knowledgeVersion))).string.flatMap(Int.init) ?? 0
    }

    public nonisolated(nonsending) func chunk(id: String) async throws -> KnowledgeChunk? {
        guard let json = try await redis.hget(keys.knowledgeChunk(id), field: "json") else { return nil }
        return try A2AJSON.decode(KnowledgeChunk.self, from: Data(json.utf8))
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

    private func decode(_ json: String) throws -> JSONValue {
        try A2AJSON.decode(JSONValue.self, from: Data(json.utf8))
    }

    private func check(_ replies: [RESPValue]) throws {
        for case .error(let message) in replies { throw RedisError.server(message) }
    }
}
