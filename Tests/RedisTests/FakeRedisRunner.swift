import Redis
import Synchronization

/// A ``RedisCommandRunner`` that records every command and answers with canned replies, in order.
///
/// Like a connection, `run` throws ``RedisError/server(_:)`` for a top-level error reply.
final class FakeRedisRunner: RedisCommandRunner {
    private let state: Mutex<(replies: [RESPValue], commands: [RedisCommand])>

    init(_ replies: RESPValue...) {
        state = Mutex((replies, []))
    }

    /// The commands so far, each as its words (binary arguments decoded as UTF-8).
    var commands: [[String]] {
        state.withLock { $0.commands.map { $0.arguments.map { String(decoding: $0, as: UTF8.self) } } }
    }

    /// The only command sent, as words.
    var command: [String] { commands.last ?? [] }

    func run(_ command: RedisCommand) async throws -> RESPValue {
        let reply = state.withLock { state in
            state.commands.append(command)
            return state.replies.isEmpty ? RESPValue.null : state.replies.removeFirst()
        }
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    func pipeline(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        state.withLock { state in
            state.commands += commands
            return commands.map { _ in state.replies.isEmpty ? RESPValue.null : state.replies.removeFirst() }
        }
    }
}

extension RESPValue {
    /// A bulk string of UTF-8 text.
    static func bulk(_ text: String) -> RESPValue { .bulkString(Array(text.utf8)) }
    /// An array of bulk strings.
    static func bulks(_ texts: String...) -> RESPValue { .array(texts.map { .bulk($0) }) }
}
