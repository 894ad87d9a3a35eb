import A2A
import A2AServer
import Foundation
import MeshRuntime

/// The `finalize` skill kind (worker-d): writes the deliverable as one Markdown artifact (`text/markdown`):
/// a title, the approved draft (the plan in shared memory, else the request's text), the retrieved passages
/// as numbered sources, and the review's score and feedback. It records `{title, markdown, sources}` in
/// shared memory under `final`.
public struct FinalizeSkillHandler: WorkerSkillHandler {
    public let settings: FinalizeSkillSettings

    public init(settings: FinalizeSkillSettings) {
        self.settings = settings
    }

    public nonisolated(nonsending) func run(_ call: SkillCall) async throws {
        let records = try await call.records()
        let draft = (records.draft ?? call.input).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !draft.isEmpty else {
            throw WorkerSkillError.badInput(
                "\(call.skill.id) needs a draft: shared memory holds no plan and the request has no text")
        }
        try await call.updater.startWork()
        let title = settings.title ?? Self.title(from: records.request ?? call.input)
        let markdown = Self.markdown(title: title, draft: draft, records: records)
        let sources = records.passages.map { JSONValue.object(["id": .string($0.id), "source": .string($0.citation)]) }
        try await call.memory.write(
            context: call.contextId, name: "final",
            value: ["title": .string(title), "markdown": .string(markdown), "sources": .array(sources)])
        try await call.updater.addArtifact([.text(markdown, mediaType: "text/markdown")], name: title, lastChunk: true)
        try await call.updater.complete()
    }

    /// The deliverable's text.
    static func markdown(title: String, draft: String, records: ContextRecords) -> String {
        var sections = ["# \(title)", draft]
        let passages = records.passages
        if !passages.isEmpty {
            let list = passages.enumerated().map { index, passage in
                "\(index + 1). **\(passage.citation)**: \(excerpt(passage.text))"
            }
            sections.append("## Sources\n\n" + list.joined(separator: "\n"))
        }
        if let evaluation = records.evaluation, let score = evaluation["score"]?.numberValue {
            var review = "Score \(String(format: "%.2f", score)) of 1"
            if let threshold = evaluation["threshold"]?.numberValue {
                let passed = evaluation["passed"] == .bool(true)
                review += " (threshold \(String(format: "%.2f", threshold)), \(passed ? "passed" : "not passed"))"
            }
            if let feedback = evaluation["feedback"]?.stringValue, !feedback.isEmpty { review += ". \(feedback)" }
            sections.append("## Review\n\n" + review)
        }
        return sections.joined(separator: "\n\n") + "\n"
    }

    /// A heading from the request: its first line, at most 80 characters, without trailing punctuation.
    private static let titleEnds = CharacterSet(charactersIn: " .?!:;")

    static func title(from request: String) -> String {
        let line = request.split(separator: "\n").first?.trimming(.whitespaces) ?? ""
        let short = line.count > 80 ? String(line.prefix(77)) + "..." : line
        let trimmed = short.trimming(Self.titleEnds)
        return trimmed.isEmpty ? "Answer" : trimmed
    }

    /// A passage shortened to one line for the source list.
    static func excerpt(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 160 ? String(flat.prefix(157)) + "..." : flat
    }
}
