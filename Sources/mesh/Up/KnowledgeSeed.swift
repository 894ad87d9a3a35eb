import Foundation
import MeshAgents
import MeshRuntime
import Redis

/// Fills an empty knowledge base from the `knowledge/` folder next to `mesh.yaml`, so a fresh mesh's
/// `retrieve` has the sample corpus to rank. A knowledge base with any chunk in it is left alone.
struct KnowledgeSeed: Sendable {
    let redis: RedisConfiguration
    let keyPrefix: String
    let directory: String

    /// What it did, as one line for the ready report; nil when there is no folder.
    func run() async -> String? {
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        do {
            let storage = try await RedisStorage.connect(configuration: redis, agent: "up", keyPrefix: keyPrefix)
            do {
                let existing = try await storage.memory.chunkIDs().count
                guard existing == 0 else {
                    await storage.pool.close()
                    return "\(existing) passages (mesh ingest adds more)"
                }
                let files = try KnowledgeIngest.files(in: [directory])
                let ingest = KnowledgeIngest(memory: storage.memory)
                var total = 0
                for file in files { total += try await ingest.ingest(file: file) }
                await storage.pool.close()
                return "ingested \(total) passages from \(files.count) files in \(directory)"
            } catch {
                await storage.pool.close()
                throw error
            }
        } catch {
            return "not ingested: \(error)"
        }
    }
}
