import Foundation
import MeshRuntime
import Testing

/// The bridge-free trim says what Foundation's `trimmingCharacters(in:)` says.
@Suite("Trimming")
struct TrimmingTests {
    static let samples = [
        "", " ", "\n\t \r", "plain", "  both ends  ", "\u{00A0}no-break\u{2003}", "\u{0085}next line\u{2028}",
        "Résumé 日本語 🚀", " e\u{0301} ", "\u{1F1FA}\u{1F1F8} flag ", "...Why? ", "a.b.c.", "  \u{FEFF}bom  ",
        "multi\nline\n", "?!:;", " x ", "\u{200B}zero width\u{200B}",
    ]

    @Test func sameAsFoundation() {
        for set in [CharacterSet.whitespaces, .whitespacesAndNewlines, CharacterSet(charactersIn: " .?!:;")] {
            for sample in Self.samples {
                #expect(sample.trimming(set) == sample.trimmingCharacters(in: set), "\(sample.debugDescription)")
                let sub = sample.dropFirst(0)
                #expect(sub.trimming(set) == sample.trimmingCharacters(in: set))
            }
        }
    }
}
