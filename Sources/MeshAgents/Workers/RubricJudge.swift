import Foundation

/// Scores a draft against rubric criteria without a model, so the same draft always gets the same score.
///
/// Each criterion is matched by its words to one check (a criterion that matches none is scored by how many
/// of its own terms the draft uses):
/// - **answers the question** (`question`, `asked`, `answer`): the share of the request's terms in the draft;
/// - **supported by passages** (`support`, `passage`, `retriev`, `source`, `evidence`): the share of the
///   draft's terms that occur in the retrieved passages, where half or more counts as fully grounded;
/// - **organised** (`organi`, `structure`, `heading`, `summary`): an opening paragraph, and headings or a list;
/// - **covers without padding** (`cover`, `padding`, `repetition`, `length`, `concise`): 80–1,500 words,
///   scaled down below that, times the share of sentences that are not repeated;
/// - **says what is unknown** (`unknown`, `guess`, `uncertain`): an explicit statement of what is unknown
///   scores 1; a draft that makes no such statement scores 0.5, as there is no sign of guessing either way.
/// An empty draft scores 0 on every criterion.
public struct RubricJudge: Sendable {
    /// One criterion's result.
    public struct CriterionScore: Sendable, Hashable {
        public var criterion: String
        public var score: Double
        public var note: String
    }

    public let tokenizer = TextTokenizer()

    public init() {}

    /// Scores `draft` on every criterion of `rubric`, given the `request` and the retrieved `passages`.
    public func score(draft: String, request: String, passages: [String], rubric: [String]) -> [CriterionScore] {
        rubric.map { criterion in
            let (score, note) = check(criterion, draft: draft, request: request, passages: passages)
            return CriterionScore(criterion: criterion, score: (score * 100).rounded() / 100, note: note)
        }
    }

    private func check(_ criterion: String, draft: String, request: String, passages: [String]) -> (Double, String) {
        let draftTerms = Set(tokenizer.terms(draft))
        guard !draftTerms.isEmpty else { return (0, "the draft is empty") }
        let words = criterion.lowercased()
        func mentions(_ stems: [String]) -> Bool { stems.contains { words.contains($0) } }
        if mentions(["support", "passage", "retriev", "source", "evidence"]) {
            let passageTerms = Set(passages.flatMap(tokenizer.terms))
            guard !passageTerms.isEmpty else { return (0, "no retrieved passages to check the claims against") }
            let share = Double(draftTerms.intersection(passageTerms).count) / Double(draftTerms.count)
            return (min(1, share * 2), "\(percent(share)) of the draft's terms occur in the retrieved passages")
        }
        if mentions(["question", "asked", "answer"]) {
            let requestTerms = Set(tokenizer.terms(request))
            guard !requestTerms.isEmpty else { return (0.5, "the request is unknown, so coverage cannot be checked") }
            let share = Double(requestTerms.intersection(draftTerms).count) / Double(requestTerms.count)
            return (share, "the draft uses \(percent(share)) of the request's terms")
        }
        if mentions(["organi", "structure", "heading", "summary"]) {
            return structure(draft)
        }
        if mentions(["cover", "padding", "repetition", "length", "concise"]) {
            return length(draft)
        }
        if mentions(["unknown", "guess", "uncertain"]) {
            let admits = [
                "unknown", "not known", "unclear", "does not say", "not covered", "no information", "not stated",
            ]
            .contains { draft.lowercased().contains($0) }
            return admits
                ? (1, "the draft says plainly what is unknown") : (0.5, "the draft does not say what is unknown")
        }
        let criterionTerms = Set(tokenizer.terms(criterion))
        guard !criterionTerms.isEmpty else { return (0.5, "no check applies to this criterion") }
        let share = Double(criterionTerms.intersection(draftTerms).count) / Double(criterionTerms.count)
        return (share, "no specific check; the draft uses \(percent(share)) of the criterion's terms")
    }

    private func structure(_ draft: String) -> (Double, String) {
        let lines = draft.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let isHeading = { (line: String) in line.hasPrefix("#") }
        let isListItem = { (line: String) in
            line.hasPrefix("- ") || line.hasPrefix("* ") || line.first?.isNumber == true && line.contains(". ")
        }
        let opensWithProse = lines.first.map { !isHeading($0) && !isListItem($0) } ?? false
        let hasSections = lines.contains(where: isHeading) || lines.filter(isListItem).count >= 2
        let score = (opensWithProse ? 0.5 : 0) + (hasSections ? 0.5 : 0)
        let note = [
            opensWithProse ? "opens with a summary line" : "has no opening summary",
            hasSections ? "has headings or a list" : "has no headings or list",
        ].joined(separator: "; ")
        return (score, note)
    }

    private func length(_ draft: String) -> (Double, String) {
        let wordCount = draft.split(whereSeparator: \.isWhitespace).count
        let sentences = draft.lowercased().split(whereSeparator: { ".!?\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 3 }
        let distinct = sentences.isEmpty ? 1 : Double(Set(sentences).count) / Double(sentences.count)
        let size = wordCount < 80 ? Double(wordCount) / 80 : wordCount > 1500 ? 1500 / Double(wordCount) : 1
        return (size * distinct, "\(wordCount) words; \(percent(distinct)) of its sentences are distinct")
    }

    private func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }
}
