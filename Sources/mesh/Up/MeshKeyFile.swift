import Crypto
import Foundation
import MeshRuntime

/// `<state-dir>/mesh.key`: the mesh key `mesh up` makes when mesh.yaml and the environment give none, so that
/// a default mesh is secured inside. It is kept (mode 0600) and reused by later runs.
enum MeshKeyFile {
    /// The key file's path under `stateDirectory`, made if it does not exist; true when it was made now.
    static func ensure(stateDirectory: String) throws -> (path: String, created: Bool) {
        let path = (stateDirectory as NSString).appendingPathComponent("mesh.key")
        if let existing = FileManager.default.contents(atPath: path),
            String(decoding: existing, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).count >= 32
        {
            return (path, false)
        }
        let hex = SymmetricKey(size: .bits256).withUnsafeBytes { $0.hexString }
        guard
            FileManager.default.createFile(
                atPath: path, contents: Data((hex + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw UpFailure("cannot write the mesh key to \(path)")
        }
        // createFile keeps an existing file's mode: make sure no one else can read the key.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return (path, true)
    }
}
