/// One Redis command: its name and arguments as bytes (binary-safe).
public struct RedisCommand: Sendable, Hashable {
    public var arguments: [[UInt8]]

    public init(_ name: String, _ arguments: [RedisArgument] = []) {
        self.arguments = [Array(name.utf8)] + arguments.map(\.bytes)
    }

    public init(_ name: String, _ arguments: RedisArgument...) {
        self.init(name, arguments)
    }

    /// The command name, for logs and errors (arguments are never logged: they may hold secrets).
    public var name: String { String(decoding: arguments.first ?? [], as: UTF8.self) }
}

/// A command argument: text, bytes or a number.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public var bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }
    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init<T: BinaryInteger>(_ number: T) { bytes = Array(String(number).utf8) }
    public init(_ number: Double) { bytes = Array(String(number).utf8) }
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }
}

/// Anything that runs Redis commands: a connection, a pool, a pipeline.
public protocol RedisCommandRunner: Sendable {
    /// Sends one command and returns its reply; an error reply throws ``RedisError``.
    func run(_ command: RedisCommand) async throws -> RESPValue
    /// Sends commands in one write and returns their replies in order (error replies are returned, not thrown).
    func pipeline(_ commands: [RedisCommand]) async throws -> [RESPValue]
    /// Sends one command with its own timeout (nil: wait as long as it takes), for blocking commands.
    func run(_ command: RedisCommand, timeout: Duration?) async throws -> RESPValue
}

extension RedisCommandRunner {
    /// Runners without per-command timeouts apply their usual one.
    public func run(_ command: RedisCommand, timeout: Duration?) async throws -> RESPValue {
        try await run(command)
    }
}
