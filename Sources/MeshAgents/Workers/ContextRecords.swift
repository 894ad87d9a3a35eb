import A2A
import Foundation

/// The records that the workers of one conversation keep in shared memory, read back by name.
///
/// Each step writes one record: `plan` (`{request, draft, model}`), `retrieve` (`{query, passages}`),
/// `evaluate` (`{score, feedback, criteria, threshold, passed, judge}`) and `final` (`{title, markdown, sources}`).
public struct ContextRecords: Sendable {
    /// One passage that `retrieve` found.
    public struct Passage: Sendable, Hashable {
        public var id: String
        public var source: String
        public var score: Double
        public var text: String

        /// The source to cite: the file it came from, else the chunk id.
        public var citation: String { source.isEmpty ? id : source }
    }

    /// Every record by name, as `SharedMemory.all(context:)` returned it.
    public let all: JSONObject

    public init(_ all: JSONObject) {
        self.all = all
    }

    /// The current draft, when a plan step wrote one.
    public var draft: String? { all["plan"]?.objectValue?["draft"]?.stringValue }

    /// The request the conversation is about: what the plan step was asked, else the retrieval query.
    public var request: String? {
        all["plan"]?.objectValue?["request"]?.stringValue ?? all["retrieve"]?.objectValue?["query"]?.stringValue
    }

    /// The passages `retrieve` found, best first.
    public var passages: [Passage] {
        guard case .array(let items)? = all["retrieve"]?.objectValue?["passages"] else { return [] }
        return items.compactMap { item in
            guard let object = item.objectValue, let text = object["text"]?.stringValue else { return nil }
            return Passage(
                id: object["id"]?.stringValue ?? "", source: object["source"]?.stringValue ?? "",
                score: object["score"]?.numberValue ?? 0, text: text)
        }
    }

    /// The last evaluation, when one was written.
    public var evaluation: JSONObject? { all["evaluate"]?.objectValue }

    /// All records as sorted, indented JSON, for prompts.
    public var json: String {
        guard !all.isEmpty else { return "(nothing yet)" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(all)).map { String(decoding: $0, as: UTF8.self) } ?? "(unreadable)"
    }
}
