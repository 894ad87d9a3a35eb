import Foundation
import NIOCore

/// The provider used when none is configured: deterministic, no network, and open about being offline.
///
/// It recognises what the mesh's skills ask for (a plan, a judgement, a summary) and builds that structure
/// from the words of the input, so a pipeline runs end to end without a model. It never claims to be one:
/// its model name is `offline-1` and every answer starts with `[offline]`.
public struct OfflineProvider: LLMProvider {
    public let kind = "offline"
    public let defaultModel = "offline-1"

    public init() {}

    public func complete(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMResponse {
        let text = Self.answer(request)
        return LLMResponse(
            text: text, model: defaultModel,
            usage: LLMUsage(
                inputTokens: request.messages.reduce(0) { $0 + Self.tokenCount($1.content) },
                outputTokens: Self.tokenCount(text)),
            finishReason: "stop", provider: kind)
    }

    public func stream(_ request: LLMRequest, model: String, deadline: NIODeadline) async throws -> LLMEventStream {
        let response = try await complete(request, model: model, deadline: deadline)
        var deltas: [LLMStreamEvent] = []
        var word = ""
        for character in response.text {
            word.append(character)
            if character == " " || character == "\n" {
                deltas.append(.delta(word))
                word = ""
            }
        }
        if !word.isEmpty { deltas.append(.delta(word)) }
        return LLMEventStream(events: deltas + [.finished(response)])
    }

    /// A rough token count (about four characters per token, as the providers' own estimates go).
    static func tokenCount(_ text: String) -> Int { max(1, (text.utf8.count + 3) / 4) }

    enum Intent { case plan, judge, summary, echo }

    static func intent(_ request: LLMRequest) -> Intent {
        let instructions = (request.systemPrompt ?? request.turns.last?.content ?? "").lowercased()
        if ["evaluate", "judge", "score", "critique"].contains(where: instructions.contains) { return .judge }
        if ["plan", "steps", "outline", "draft"].contains(where: instructions.contains) { return .plan }
        if ["summar", "final", "deliverable", "report"].contains(where: instructions.contains) { return .summary }
        return .echo
    }

    /// A plan of the request's own sentences, for a prompt that quotes no knowledge to draft from.
    static func outline(_ request: String) -> String {
        let sentences = Self.sentences(of: request)
        let topic = sentences.first.map { String($0.prefix(120)) } ?? "the request"
        let points = sentences.dropFirst().prefix(3).map { "Address: \($0.prefix(100))" }
        let steps =
            ["Clarify the goal: \(topic)"] + points + [
                "Gather the relevant facts from the shared knowledge base",
                "Write a draft that answers the goal point by point",
                "Check the draft against the goal and revise it",
            ]
        return "[offline] Plan\n" + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
    }

    /// A draft made of the passages' sentences that share the most terms with the request, in the passages'
    /// order, each citing the file its passage came from.
    static func draft(_ prompt: OfflinePrompt) -> String {
        let tokenizer = TextTokenizer()
        let wanted = Set(tokenizer.terms(prompt.request))
        var candidates: [(sentence: String, source: String, overlap: Int)] = []
        for passage in prompt.passages {
            for sentence in Self.sentences(of: passage.text) where sentence.split(separator: " ").count >= 5 {
                guard !candidates.contains(where: { $0.sentence == sentence }) else { continue }
                let overlap = Set(tokenizer.terms(sentence)).intersection(wanted).count
                candidates.append((sentence, passage.source, overlap))
            }
        }
        var chosen = Array(
            candidates.indices.filter { candidates[$0].overlap > 0 }
                .sorted { (candidates[$0].overlap, $1) > (candidates[$1].overlap, $0) }.prefix(7).sorted())
        if chosen.isEmpty { chosen = Array(candidates.indices.prefix(4)) }
        let cited = chosen.map { index in
            let source = candidates[index].source
            return source.isEmpty ? candidates[index].sentence : "\(candidates[index].sentence) (\(source))"
        }
        var sections = [
            "[offline] A draft assembled from the shared knowledge base, as no language model is configured (LLM_PROVIDER).",
            cited.prefix(2).joined(separator: " "),
        ]
        if cited.count > 2 {
            sections.append(
                "## What the sources say\n\n" + cited.dropFirst(2).map { "- \($0)" }.joined(separator: "\n"))
        }
        let subject = prompt.request.split(separator: "\n").first.map { String($0.prefix(120)) } ?? "the request"
        sections.append(
            "## What is unknown\n\nThe passages say no more than this about \"\(subject)\"; anything beyond them is unknown here."
        )
        return sections.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// The sentences of Markdown `text`: the chunker's paragraphs without their headings, each paragraph joined
    /// across its line breaks and each list item on its own; every sentence keeps its closing punctuation.
    static func sentences(of text: String) -> [String] {
        var units: [String] = []
        for block in DocumentChunker().blocks(of: text) where !block.hasPrefix("#") {
            var paragraph: [String] = []
            for line in block.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let item = listItem(line) else {
                    paragraph.append(line)
                    continue
                }
                if !paragraph.isEmpty { units.append(paragraph.joined(separator: " ")) }
                paragraph = []
                units.append(item)
            }
            if !paragraph.isEmpty { units.append(paragraph.joined(separator: " ")) }
        }
        return units.flatMap(splitSentences)
    }

    /// The text of a Markdown list item (`- `, `* `, `1. `), or nil for any other line.
    private static func listItem(_ line: String) -> String? {
        if line.hasPrefix("- ") || line.hasPrefix("* ") { return String(line.dropFirst(2)) }
        let digits = line.prefix { $0.isNumber }
        guard !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") else { return nil }
        return String(line.dropFirst(digits.count + 2))
    }

    /// Splits at `.`, `!` or `?` followed by a space.
    private static func splitSentences(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        var previous: Character = " "
        for character in text {
            if character == " ", ".!?".contains(previous) {
                sentences.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        sentences.append(current)
        return sentences.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func answer(_ request: LLMRequest) -> String {
        let input = request.turns.last?.content ?? ""
        switch intent(request) {
        case .plan:
            let prompt = OfflinePrompt(input)
            return prompt.passages.isEmpty ? outline(prompt.request) : draft(prompt)
        case .judge:
            let words = input.split(whereSeparator: \.isWhitespace).count
            let structured = input.contains("\n1.") || input.contains("\n- ")
            let score = min(0.95, 0.4 + Double(min(words, 300)) / 600 + (structured ? 0.1 : 0))
            let feedback =
                words < 50
                ? "The draft is short; add detail and evidence." : "The draft covers the goal; tighten the wording."
            return
                "[offline] {\"score\": \(String(format: "%.2f", score)), \"feedback\": \"\(feedback)\", \"words\": \(words)}"
        case .summary:
            let sentences = input.split(whereSeparator: { ".!?\n".contains($0) })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let body = sentences.prefix(3).map { "- \($0.prefix(160))" }.joined(separator: "\n")
            return "[offline] Summary (\(sentences.count) sentences in the input)\n"
                + (body.isEmpty ? "- (empty input)" : body)
        case .echo:
            return
                "[offline] No model is configured (LLM_PROVIDER), so this is the input restated: \(String(input.prefix(500)))"
        }
    }
}
