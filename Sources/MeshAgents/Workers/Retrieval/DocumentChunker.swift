import Foundation

/// Splits Markdown or plain text into knowledge-base passages.
///
/// Passages follow paragraphs and never cross a heading; each carries the heading it sits under, so a
/// passage still says what it is about when read alone. Paragraphs longer than the limit are cut at
/// sentence ends (or, failing that, at spaces); short neighbours are merged up to the limit.
public struct DocumentChunker: Sendable {
    /// The most characters of text in one passage (the heading line comes on top).
    public var maxCharacters: Int

    public init(maxCharacters: Int = 800) {
        self.maxCharacters = max(maxCharacters, 80)
    }

    /// The passages of `text`, in document order.
    public func chunks(of text: String) -> [String] {
        var result: [String] = []
        var heading: String?
        var current = ""
        func flush() {
            let body = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !body.isEmpty { result.append(heading.map { "\($0)\n\n\(body)" } ?? body) }
            current = ""
        }
        for block in blocks(of: text) {
            if block.hasPrefix("#") {
                flush()
                heading = block.split(separator: "\n").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "# ")) }
                continue
            }
            for piece in split(block) {
                if !current.isEmpty && current.count + piece.count + 2 > maxCharacters { flush() }
                current += current.isEmpty ? piece : "\n\n" + piece
            }
        }
        flush()
        return result
    }

    /// Paragraphs: runs of lines separated by blank lines; a heading line is a block of its own.
    func blocks(of text: String) -> [String] {
        var blocks: [String] = []
        var lines: [Substring] = []
        func close() {
            if !lines.isEmpty { blocks.append(lines.joined(separator: "\n")) }
            lines = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                close()
            } else if trimmed.hasPrefix("#") {
                close()
                blocks.append(trimmed)
            } else {
                lines.append(line)
            }
        }
        close()
        return blocks
    }

    /// A paragraph cut into pieces of at most ``maxCharacters``.
    func split(_ paragraph: String) -> [String] {
        var pieces: [String] = []
        var rest = Substring(paragraph)
        while rest.count > maxCharacters {
            let window = rest.prefix(maxCharacters)
            let sentenceEnd = window.lastIndex { ".!?".contains($0) }.map { window.index(after: $0) }
            let cut = sentenceEnd.flatMap { window.distance(from: window.startIndex, to: $0) > maxCharacters / 3 ? $0 : nil }
                ?? window.lastIndex(of: " ") ?? window.endIndex
            pieces.append(String(rest[..<cut]).trimmingCharacters(in: .whitespaces))
            rest = rest[cut...].drop { $0 == " " }
        }
        if !rest.isEmpty { pieces.append(String(rest)) }
        return pieces
    }
}
