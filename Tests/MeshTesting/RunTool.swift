import Foundation

/// A command-line tool that a fixture ran exited with a failure.
public struct ToolFailure: Error, CustomStringConvertible, Sendable {
    /// The tool and its arguments.
    public var commandLine: String
    /// The raw wait status (0 means success).
    public var status: Int32
    /// What the tool wrote to stderr.
    public var standardError: String
    /// What the tool wrote to stdout.
    public var standardOutput: String

    public var description: String {
        "`\(commandLine)` failed with status \(status): \(standardError.isEmpty ? standardOutput : standardError)"
    }
}

/// Runs `executable` with `arguments` to completion and returns its stdout.
///
/// Throws ``ToolFailure`` when it exits with a non-zero status, and kills it after `timeout`.
@discardableResult
public func runTool(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:],
    timeout: Duration = .seconds(30)
) async throws -> String {
    let process = try ManagedProcess.launch(
        name: (executable as NSString).lastPathComponent, executable: executable, arguments: arguments,
        environment: environment)
    defer { process.removeLogs() }
    let deadline = ContinuousClock.now + timeout
    while process.isRunning {
        if ContinuousClock.now > deadline {
            await process.terminate(grace: .milliseconds(100))
            break
        }
        try? await Task.sleep(for: .milliseconds(5))
    }
    let status = process.exitCode ?? -1
    let output = process.standardOutput()
    guard status == 0 else {
        throw ToolFailure(
            commandLine: redacted([executable] + arguments).joined(separator: " "), status: status,
            standardError: process.standardError(), standardOutput: output)
    }
    return output
}

/// The command line with the values of password options replaced by `***`.
private func redacted(_ commandLine: [String]) -> [String] {
    var result = commandLine
    for index in result.indices.dropFirst() where ["--pass", "-a", "--password"].contains(result[index - 1]) {
        result[index] = "***"
    }
    return result
}
