import ArgumentParser
import Crypto
import Foundation
import MeshRuntime

/// `mesh auth`: makes API keys and their hashes for `mesh.yaml`, and mesh tokens for tests and operations.
struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Make API keys for mesh.yaml's auth.apiKeys, hash keys, and mint mesh tokens.",
        subcommands: [NewKey.self, HashKey.self, MeshToken.self])

    /// `mesh auth new-key --id NAME`.
    struct NewKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new-key",
            abstract: "Print a new random API key and the auth.apiKeys entry that stores its SHA-256.",
            discussion: "Give the key to its holder; mesh.yaml keeps only the hash, so the key cannot be shown again.")

        @Option(help: "The key's id, as logs and rate limits name it.")
        var id: String

        @Option(
            parsing: .upToNextOption,
            help: "Scopes the key grants: task, result, dispatch, dlq (default: task result).")
        var scopes: [String] = ["task", "result"]

        func validate() throws {
            guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw ValidationError("--id must be letters, digits, '-', '_' or '.'")
            }
            for scope in scopes where AuthScope(rawValue: scope) == nil {
                throw ValidationError("unknown scope '\(scope)' (known: task, result, dispatch, dlq)")
            }
        }

        func run() throws {
            let key = "mk_" + SymmetricKey(size: .bits256).withUnsafeBytes { Self.base64URL(Data($0)) }
            let hash = AuthSettings.APIKey.hash(of: key)
            print("key: \(key)")
            print("")
            print("# add to mesh.yaml under auth.apiKeys:")
            print("- { id: \(id), sha256: \"\(hash)\", scopes: [\(scopes.joined(separator: ", "))] }")
        }

        static func base64URL(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
    }

    /// `mesh auth hash-key < key`.
    struct HashKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash-key",
            abstract: "Read an API key from standard input and print the sha256 that auth.apiKeys stores.")

        func run() throws {
            let input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            let key = input.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !key.isEmpty else { throw ValidationError("no key on standard input") }
            print(AuthSettings.APIKey.hash(of: key))
        }
    }

    /// `mesh auth mesh-token --agent NAME`.
    struct MeshToken: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mesh-token",
            abstract:
                "Print a mesh token for agent NAME, signed with the mesh key (MESH_KEY, MESH_KEY_FILE or mesh.yaml).",
            discussion: "Agents accept it as Authorization: Bearer <token> until it expires.")

        @Option(help: "The agent the token speaks for (its sub claim).")
        var agent: String

        @Option(help: "The mesh file: its mesh.name and auth.meshKey.")
        var config = "mesh.yaml"

        @Option(help: "Seconds the token is valid.")
        var ttl: Int = 300

        func validate() throws {
            guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
        }

        func run() throws {
            let mesh: MeshConfiguration
            do {
                mesh = try MeshConfiguration.load(path: config)
            } catch {
                throw ValidationError("\(error)")
            }
            guard !mesh.auth.meshKey.isEmpty else {
                throw ValidationError("no mesh key: set MESH_KEY or MESH_KEY_FILE, or auth.meshKey in \(config)")
            }
            let issuer = MeshTokenIssuer(meshKey: mesh.auth.meshKey, meshName: mesh.name, agent: agent)
            print(issuer.mint(lifetime: TimeInterval(ttl)))
        }
    }
}
