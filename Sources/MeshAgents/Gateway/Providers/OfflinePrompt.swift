import Foundation

/// What the offline provider reads out of a prompt: the request it is about, and the retrieved passages that
/// the prompt quotes from shared memory.
///
/// The workers' templates (`agents/*.yaml`) put the request under a line such as `Request:` and the shared
/// memory as indented JSON (`{{memory}}`); a prompt without either is taken whole as the request.
struct OfflinePrompt: Sendable, Equatable {
    /// One retrieved passage: its text, and where it came from (a file name, else the chunk id).
    struct Passage: Sendable, Equatable {
        var text: String
        var source: String
    }

    var request: String
    var passages: [Passage]

    /// Headings after which a template places the request.
    static let requestHeadings: Set<String> = ["request", "question", "task", "input", "goal"]

    init(_ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        request =
            Self.section(after: Self.requestHeadings, in: lines) ?? text.trimmingCharacters(in: .whitespacesAndNewlines)
        passages = Self.memoryJSON(in: lines).map(Self.passages(in:)) ?? []
    }

    /// The lines after a heading line (`Request:`) up to the next blank line, or nil without such a heading.
    static func section(after headings: Set<String>, in lines: [String]) -> String? {
        guard
            let heading = lines.firstIndex(where: { line in
                let word = line.trimmingCharacters(in: .whitespaces).lowercased()
                return word.hasSuffix(":") && headings.contains(String(word.dropLast()))
            })
        else { return nil }
        let body = lines[(heading + 1)...].drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }
            .prefix { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let text = body.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        return text.isEmpty ? nil : text
    }

    /// The first top-level JSON object that the prompt holds on lines of its own (`{` ... `}`).
    static func memoryJSON(in lines: [String]) -> Any? {
        guard let open = lines.firstIndex(of: "{"), let close = lines[open...].firstIndex(of: "}") else { return nil }
        let text = lines[open...close].joined(separator: "\n")
        return try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// Every object with a `text` in a `passages` array, anywhere in `json`, in order.
    static func passages(in json: Any) -> [Passage] {
        switch json {
        case let object as [String: Any]:
            var found: [Passage] = []
            for key in object.keys.sorted() {
                if key == "passages", let items = object[key] as? [Any] {
                    found += items.compactMap { item in
                        guard let item = item as? [String: Any], let text = item["text"] as? String else { return nil }
                        let path = (item["source"] as? String).flatMap { $0.isEmpty ? nil : $0 }
                        let source = path.map { String($0.split(separator: "/").last ?? Substring($0)) }
                        return Passage(text: text, source: source ?? (item["id"] as? String) ?? "")
                    }
                } else {
                    found += passages(in: object[key]!)
                }
            }
            return found
        case let array as [Any]:
            return array.flatMap(passages(in:))
        default:
            return []
        }
    }
}
