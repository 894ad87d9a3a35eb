import ArgumentParser
import Foundation
import MeshAgents
import MeshRuntime

/// `mesh ingest PATH...`: splits Markdown and text files into passages in the knowledge base in Redis.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load Markdown and text files (directories: recursively) into the knowledge base in Redis.")

    @Argument(help: "Files or directories (.md, .markdown, .txt, .text).")
    var paths: [String]

    @Option(help: "The most characters in one passage.")
    var maxCharacters = 800

    @OptionGroup(title: "Redis")
    var redis: RedisOptions

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one file or directory") }
        guard maxCharacters >= 80 else { throw ValidationError("--max-characters must be at least 80, got \(maxCharacters)") }
    }

    func run() async throws {
        // Resolve every path before touching Redis, so a typo changes nothing.
        let files: [String]
        do {
            files = try KnowledgeIngest.files(in: paths)
        } catch {
            throw ValidationError("\(error)")
        }
        guard !files.isEmpty else { throw ValidationError("no .md or .txt files under \(paths.joined(separator: ", "))") }
        guard let storage = try await redis.connect(agent: "ingest") else {
            throw ValidationError("no Redis configured: give --redis-url or set REDIS_URL")
        }
        let ingest = KnowledgeIngest(memory: storage.memory, chunker: DocumentChunker(maxCharacters: maxCharacters))
        var total = 0
        do {
            for file in files {
                let count = try await ingest.ingest(file: file)
                total += count
                print("\(file): \(count) passages")
            }
        } catch {
            await storage.pool.close()
            throw error
        }
        await storage.pool.close()
        print("\(total) passages from \(files.count) files")
    }
}
