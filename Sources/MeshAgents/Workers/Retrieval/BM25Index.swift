import Foundation
import MeshRuntime

/// Okapi BM25 over the knowledge base's chunks.
///
/// Built once per knowledge-base version and then read-only, so lookups need no locking.
public struct BM25Index: Sendable {
    /// One ranked chunk.
    public struct Hit: Sendable, Hashable {
        public var chunk: KnowledgeChunk
        public var score: Double
    }

    /// Term-frequency saturation and length normalisation, the usual defaults.
    public var k1 = 1.2
    public var b = 0.75
    let tokenizer = TextTokenizer()
    let chunks: [KnowledgeChunk]
    /// Per chunk: term → count.
    let frequencies: [[String: Int]]
    let lengths: [Int]
    let averageLength: Double
    /// Term → number of chunks containing it.
    let documentFrequency: [String: Int]

    public init(chunks: [KnowledgeChunk]) {
        self.chunks = chunks
        var frequencies: [[String: Int]] = []
        var documentFrequency: [String: Int] = [:]
        var lengths: [Int] = []
        for chunk in chunks {
            let terms = tokenizer.terms(chunk.text)
            var counts: [String: Int] = [:]
            for term in terms { counts[term, default: 0] += 1 }
            for term in counts.keys { documentFrequency[term, default: 0] += 1 }
            frequencies.append(counts)
            lengths.append(terms.count)
        }
        self.frequencies = frequencies
        self.lengths = lengths
        self.documentFrequency = documentFrequency
        averageLength = lengths.isEmpty ? 0 : Double(lengths.reduce(0, +)) / Double(lengths.count)
    }

    /// How many chunks the index holds.
    public var count: Int { chunks.count }

    /// The `topK` chunks that score above zero for `query`, best first (ties by chunk id, so results are stable).
    public func search(_ query: String, topK: Int) -> [Hit] {
        let terms = Set(tokenizer.terms(query))
        guard !terms.isEmpty, topK > 0 else { return [] }
        let total = Double(chunks.count)
        var hits: [Hit] = []
        for index in chunks.indices {
            var score = 0.0
            let norm = k1 * (1 - b + b * Double(lengths[index]) / max(averageLength, 1))
            for term in terms {
                guard let frequency = frequencies[index][term], let containing = documentFrequency[term] else { continue }
                // The "+1" form of IDF stays positive for terms found in most chunks.
                let idf = log(1 + (total - Double(containing) + 0.5) / (Double(containing) + 0.5))
                let tf = Double(frequency)
                score += idf * tf * (k1 + 1) / (tf + norm)
            }
            if score > 0 { hits.append(Hit(chunk: chunks[index], score: score)) }
        }
        hits.sort { ($0.score, $1.chunk.id) > ($1.score, $0.chunk.id) }
        return Array(hits.prefix(topK))
    }
}
