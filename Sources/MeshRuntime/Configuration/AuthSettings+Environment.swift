import Foundation

extension MeshConfiguration {
    /// The variables that override `auth:`'s secrets.
    static let authEnvironmentVariables = ["MESH_KEY", "MESH_KEY_FILE", "MESH_JWT_SECRET", "MESH_JWT_SECRET_FILE"]
}

extension AuthSettings {
    /// `MESH_KEY` / `MESH_KEY_FILE` and `MESH_JWT_SECRET` / `MESH_JWT_SECRET_FILE` replace the file's secrets; the
    /// variable wins over its `_FILE` twin. Errors name the variable or the file, never the secret.
    mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        if let key = try Self.secret("MESH_KEY", environment) { meshKey = key }
        if let secret = try Self.secret("MESH_JWT_SECRET", environment) { jwt.hs256Secret = secret }
    }

    /// The secret in `variable`, else in the file `variable_FILE` names; nil when neither is set.
    static func secret(_ variable: String, _ environment: [String: String]) throws(ConfigurationError) -> String? {
        let fileVariable = variable + "_FILE"
        let value: String
        let source: String
        if let direct = environment[variable] {
            value = direct.trimmingCharacters(in: .whitespacesAndNewlines)
            source = variable
        } else if let path = environment[fileVariable] {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                throw ConfigurationError(
                    file: ConfigurationError.environmentFile, field: fileVariable, problem: "cannot read the file",
                    value: path)
            }
            value = text.trimmingCharacters(in: .whitespacesAndNewlines)
            source = fileVariable
        } else {
            return nil
        }
        guard value.count >= minimumSecretLength else {
            throw ConfigurationError(
                file: ConfigurationError.environmentFile, field: source,
                problem: "is too short: use at least \(minimumSecretLength) characters (e.g. `openssl rand -hex 32`)")
        }
        return value
    }
}
