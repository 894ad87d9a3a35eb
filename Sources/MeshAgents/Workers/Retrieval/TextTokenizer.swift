/// Splits text into the terms BM25 counts: lower-cased runs of letters and digits, without the most
/// common English function words, with a light suffix strip so "agents" matches "agent".
///
/// Written here because no tokenizer library is among the available packages; it is deliberately small.
public struct TextTokenizer: Sendable {
    static let stopwords: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "has", "have", "how",
        "i", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "then", "there", "these",
        "this", "to", "was", "what", "when", "where", "which", "who", "why", "will", "with", "you", "your",
    ]

    public init() {}

    /// The terms of `text`, in order, repeats kept.
    public func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                append(current, to: &terms)
                current = ""
            }
        }
        if !current.isEmpty { append(current, to: &terms) }
        return terms
    }

    private func append(_ word: String, to terms: inout [String]) {
        guard !Self.stopwords.contains(word) else { return }
        terms.append(Self.stem(word))
    }

    /// Strips a plural or possessive ending from words long enough to keep their meaning.
    static func stem(_ word: String) -> String {
        guard word.count > 4 else { return word }
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        if word.hasSuffix("sses") || word.hasSuffix("ss") || word.hasSuffix("us") || word.hasSuffix("is") {
            return word
        }
        if word.hasSuffix("s") { return String(word.dropLast()) }
        return word
    }
}
