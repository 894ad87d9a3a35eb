import Foundation
import MeshRuntime

/// Loads Markdown and text files into the knowledge base that `retrieve` ranks.
///
/// Chunk ids are `<source>#<n>`, with the source the path as given; ingesting a file again replaces its
/// passages, including removing those a shorter version no longer has.
public struct KnowledgeIngest: Sendable {
    /// Why a path could not be ingested.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public static let extensions: Set<String> = ["md", "markdown", "txt", "text"]
    let memory: any SharedMemory
    let chunker: DocumentChunker

    public init(memory: any SharedMemory, chunker: DocumentChunker = DocumentChunker()) {
        self.memory = memory
        self.chunker = chunker
    }

    /// The files under `paths` (directories searched recursively for ``extensions``), sorted.
    public static func files(in paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Failure(description: "\(path): no such file or directory")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []
            files += found.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .map { (path as NSString).appendingPathComponent($0) }
        }
        return files.sorted()
    }

    /// Ingests `file`; returns how many passages it now has in the knowledge base.
    @discardableResult
    public func ingest(file: String) async throws -> Int {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw Failure(description: "\(file): cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Failure(description: "\(file): not UTF-8 text")
        }
        let passages = chunker.chunks(of: text)
        let stale = try await memory.chunkIDs().filter { id in
            guard id.hasPrefix(file + "#"), let index = Int(id.dropFirst(file.count + 1)) else { return false }
            return index >= passages.count
        }
        for (index, passage) in passages.enumerated() {
            try await memory.store(KnowledgeChunk(id: "\(file)#\(index)", text: passage, source: file))
        }
        try await memory.removeChunks(ids: stale)
        return passages.count
    }
}
