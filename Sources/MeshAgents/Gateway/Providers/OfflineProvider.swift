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

    static func answer(_ request: LLMRequest) -> String {
        let input = request.turns.last?.content ?? ""
        let sentences = input.split(whereSeparator: { ".!?\n".contains($0) })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let topic = sentences.first.map { String($0.prefix(120)) } ?? "the request"
        switch intent(request) {
        case .plan:
            let points = sentences.dropFirst().prefix(3).map { "Address: \($0.prefix(100))" }
            let steps = ["Clarify the goal: \(topic)"] + points + [
                "Gather the relevant facts from the shared knowledge base",
                "Write a draft that answers the goal point by point",
                "Check the draft against the goal and revise it",
            ]
            return "[offline] Plan\n" + steps.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n")
        case .judge:
            let words = input.split(whereSeparator: \.isWhitespace).count
            let structured = input.contains("\n1.") || input.contains("\n- ")
            let score = min(0.95, 0.4 + Double(min(words, 300)) / 600 + (structured ? 0.1 : 0))
            let feedback = words < 50 ? "The draft is short; add detail and evidence." : "The draft covers the goal; tighten the wording."
            return "[offline] {\"score\": \(String(format: "%.2f", score)), \"feedback\": \"\(feedback)\", \"words\": \(words)}"
        case .summary:
            let body = sentences.prefix(3).map { "- \($0.prefix(160))" }.joined(separator: "\n")
            return "[offline] Summary (\(sentences.count) sentences in the input)\n" + (body.isEmpty ? "- (empty input)" : body)
        case .echo:
            return "[offline] No model is configured (LLM_PROVIDER), so this is the input restated: \(String(input.prefix(500)))"
        }
    }
}
