import Crypto
import Foundation

/// Checks presented API keys against the SHA-256 hashes `mesh.yaml` stores.
struct APIKeyVerifier: Sendable {
    private let entries: [(key: AuthSettings.APIKey, digest: [UInt8])]

    init(keys: [AuthSettings.APIKey]) {
        entries = keys.map { ($0, Self.bytes(hex: $0.sha256)) }
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The entry whose hash matches `presented`. Every entry is compared in constant time, so the time taken
    /// says nothing about which bytes matched.
    func verify(_ presented: String) -> AuthSettings.APIKey? {
        let digest = Array(SHA256.hash(data: Data(presented.utf8)))
        var found: AuthSettings.APIKey?
        for entry in entries where Self.constantTimeEqual(entry.digest, digest) {
            found = entry.key
        }
        return found
    }

    /// The lower-case hex SHA-256 of `key`, as `mesh.yaml` stores it.
    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).hexString
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    private static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            result.append(UInt8(String([high, low]), radix: 16) ?? 0)
        }
        return result
    }
}

extension AuthSettings.APIKey {
    /// The `sha256` of `key`, for `mesh auth new-key` and `hash-key`.
    public static func hash(of key: String) -> String { APIKeyVerifier.hash(key) }
}
