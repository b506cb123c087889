import Testing
@testable import GlossStorage

@Suite struct SearchTitleTests {
    /// The title's definition, written plainly over characters: the fast version must agree.
    static func reference(_ body: String) -> String {
        for line in body.split(separator: "\n", omittingEmptySubsequences: true) {
            var title = line.drop(while: { $0 == "#" || $0.isWhitespace })
            while let last = title.last, last.isWhitespace { title = title.dropLast() }
            if title.isEmpty { continue }
            if let cut = title.index(title.startIndex, offsetBy: 79, limitedBy: title.endIndex), cut < title.endIndex {
                return String(title[..<cut]) + "…"
            }
            return String(title)
        }
        return ""
    }

    @Test func titlesAreTheFirstNonEmptyLineWithoutHeadingMarks() {
        #expect(Library.noteTitle(nil) == "")
        #expect(Library.noteTitle("\n\n## Japan and ASEAN  \nbody") == "Japan and ASEAN")
        #expect(Library.noteTitle("   \n#\nsecond") == "second")
        #expect(Library.noteTitle(String(repeating: "é", count: 100)) == String(repeating: "é", count: 79) + "…")
        #expect(Library.noteTitle(String(repeating: "x", count: 79) + "   \nmore") == String(repeating: "x", count: 79))
        #expect(Library.noteTitle("a\r\nb") == "a\r\nb")  // CR LF is one character, not a line break here
    }

    @Test func theFastTitleAgreesWithItsDefinition() {
        var random = SystemRandomNumberGenerator()
        let pieces = ["\n", "\r\n", "\r", "#", " ", "\t", "a", "word ", "é", "e\u{301}", "東京", "👍🏽", "\u{2028}", "##  "]
        for _ in 0..<3_000 {
            let count = Int.random(in: 0..<60, using: &random)
            let body = (0..<count).map { _ in pieces.randomElement(using: &random)! }.joined()
                + String(repeating: "y", count: Int.random(in: 0..<100, using: &random))
            #expect(Library.noteTitle(body) == Self.reference(body), "\(Array(body.unicodeScalars))")
        }
    }
}
