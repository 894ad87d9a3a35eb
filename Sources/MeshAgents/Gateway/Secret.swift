import Foundation

/// An API key or other credential. It prints as `<redacted>`, so it cannot leak through logs or errors.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key itself; only request-building code reads it.
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }

    /// `NAME` from the environment, else the contents of the file `NAME_FILE` names (trailing newline trimmed).
    /// Throws when the file is named but cannot be read; the error names the variable and the path.
    public static func load(_ name: String, environment: [String: String]) throws -> Secret? {
        if let value = environment[name], !value.isEmpty { return Secret(value) }
        guard let path = environment["\(name)_FILE"], !path.isEmpty else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayConfigurationError(field: "\(name)_FILE", "cannot read the file '\(path)'")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else { throw GatewayConfigurationError(field: "\(name)_FILE", "the file '\(path)' is empty") }
        return Secret(value)
    }
}
