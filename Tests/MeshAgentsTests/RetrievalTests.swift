import A2A
import Foundation
import MeshAgents
import MeshRuntime
import MeshTesting
import Redis
import Testing

/// BM25 ranking, Markdown chunking, and ingest into a real Redis.
@Suite struct BM25Tests {
    let corpus = [
        KnowledgeChunk(id: "cards", text: "An agent card lists the skills of an agent and where to reach it."),
        KnowledgeChunk(id: "tasks", text: "A task moves from submitted to working to completed or failed."),
        KnowledgeChunk(id: "redis", text: "Redis keeps the shared memory; streams carry the dispatch queue."),
        KnowledgeChunk(
            id: "long",
            text: "Agents agents agents. " + String(repeating: "Unrelated filler words about weather and food. ", count: 30)),
    ]

    @Test func theChunkAboutTheQueryRanksFirst() {
        let index = BM25Index(chunks: corpus)
        #expect(index.search("Which skills does an agent card list?", topK: 2).first?.chunk.id == "cards")
        #expect(index.search("dispatch streams in Redis", topK: 3).map(\.chunk.id) == ["redis"])
        #expect(index.search("task states: submitted, working, completed", topK: 1).map(\.chunk.id) == ["tasks"])
    }

    @Test func lengthNormalisationKeepsPaddedChunksBelowFocusedOnes() {
        // "agents" occurs three times in the long chunk but it is mostly filler; the short one wins.
        let hits = BM25Index(chunks: corpus).search("agent card", topK: 4)
        #expect(hits.first?.chunk.id == "cards")
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
    }

    @Test func queriesWithoutKnownTermsFindNothing() {
        let index = BM25Index(chunks: corpus)
        #expect(index.search("the of and", topK: 5).isEmpty)
        #expect(index.search("quantum chromodynamics", topK: 5).isEmpty)
        #expect(index.search("agent", topK: 0).isEmpty)
        #expect(BM25Index(chunks: []).search("agent", topK: 3).isEmpty)
    }

    @Test func tokenizerFoldsCaseAndPlurals() {
        let terms = TextTokenizer().terms("The Agents' CARDS, and their capabilities!")
        #expect(terms == ["agent", "card", "capability"])
    }
}

@Suite struct DocumentChunkerTests {
    @Test func passagesFollowHeadingsAndCarryThem() {
        let text = """
            # Title

            Intro paragraph.

            ## Part one

            First paragraph of part one.

            Second paragraph of part one.

            ## Part two

            Only paragraph of part two.
            """
        let chunks = DocumentChunker(maxCharacters: 200).chunks(of: text)
        #expect(chunks == [
            "Title\n\nIntro paragraph.",
            "Part one\n\nFirst paragraph of part one.\n\nSecond paragraph of part one.",
            "Part two\n\nOnly paragraph of part two.",
        ])
    }

    @Test func longParagraphsAreCutAtSentenceEndsWithinTheLimit() {
        let sentence = "This sentence is about forty characters. "
        let chunks = DocumentChunker(maxCharacters: 100).chunks(of: String(repeating: sentence, count: 10))
        #expect(chunks.count >= 4)
        #expect(chunks.allSatisfy { $0.count <= 100 && !$0.isEmpty }, "\(chunks)")
        #expect(chunks.allSatisfy { $0.hasSuffix(".") }, "\(chunks)")
        #expect(chunks.joined(separator: " ").split(separator: " ").count == sentence.split(separator: " ").count * 10)
    }

    @Test func emptyAndWhitespaceTextHasNoPassages() {
        #expect(DocumentChunker().chunks(of: "").isEmpty)
        #expect(DocumentChunker().chunks(of: "\n\n   \n# Only a heading\n").isEmpty)
    }
}

@Suite("Knowledge ingest into Redis", .serialized, .timeLimit(.minutes(2)))
struct KnowledgeIngestTests {
    @Test func reingestingAShorterFileRemovesItsStalePassages() async throws {
        try await RedisServer.with { server in
            let storage = try await RedisStorage.connect(
                configuration: try RedisConfiguration.load(url: server.url), agent: "ingest-test")
            do {
                try await check(storage, server)
            } catch {
                await storage.pool.close()
                throw error
            }
            await storage.pool.close()
        }
    }

    func check(_ storage: RedisStorage, _ server: RedisServer) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kb-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("notes.md").path
        let ingest = KnowledgeIngest(memory: storage.memory, chunker: DocumentChunker(maxCharacters: 100))

        try "# A\n\nAlpha text.\n\n# B\n\nBeta text.\n\n# C\n\nGamma text.\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let before = try await storage.memory.knowledgeVersion()
        #expect(try await ingest.ingest(file: file) == 3)
        #expect(try await storage.memory.chunkIDs().sorted() == ["\(file)#0", "\(file)#1", "\(file)#2"])
        #expect(try await storage.memory.knowledgeVersion() > before)

        try "# A\n\nAlpha, revised.\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await ingest.ingest(file: file) == 1)
        let chunks = try await storage.memory.chunks()
        #expect(chunks.map(\.id) == ["\(file)#0"])
        #expect(chunks.first?.text == "A\n\nAlpha, revised.")
        #expect(try await server.redisCLI("SCARD", "mesh:kb:chunks").trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        let index = BM25Index(chunks: chunks)
        #expect(index.search("revised alpha", topK: 1).first?.chunk.source == file)
    }

    @Test func missingPathsAreNamedBeforeAnythingIsWritten() {
        #expect(throws: KnowledgeIngest.Failure.self) { try KnowledgeIngest.files(in: ["/nonexistent/kb"]) }
        let shipped = try? KnowledgeIngest.files(in: [try TestEnvironment.packageRoot().appendingPathComponent("knowledge").path])
        #expect((shipped?.count ?? 0) >= 4, "the sample corpus in knowledge/ is missing")
    }
}

@Suite struct RetrieveSkillTests {
    @Test func rankingFollowsTheKnowledgeBaseVersion() async throws {
        let memory = InMemorySharedMemory()
        try await memory.store(KnowledgeChunk(id: "a", text: "Agent cards list skills.", source: "cards.md"))
        let skill = RetrieveSkill(memory: memory, topK: 3)
        #expect(try await skill.rank("skills").map(\.chunk.id) == ["a"])
        try await memory.store(KnowledgeChunk(id: "b", text: "Skills skills skills of workers.", source: "workers.md"))
        #expect(Set(try await skill.rank("skills").map(\.chunk.id)) == ["a", "b"], "a new chunk was not indexed")
        try await memory.removeChunks(ids: ["a", "b"])
        #expect(try await skill.rank("skills").isEmpty)
    }

    @Test func theQueryComesFromADataPartOrTheText() {
        let data = Message(messageId: "1", role: .user, parts: [.data(.object(["query": .string("bm25")])), .text("ignored")])
        #expect(RetrieveSkill.query(of: data) == "bm25")
        #expect(RetrieveSkill.query(of: Message(messageId: "2", role: .user, parts: [.text("plain")])) == "plain")
    }
}
