import Testing

@testable import GlossStorage

/// diff3 laws and a golden corpus of line merges.
@Suite struct MergeThreeWayTests {
    static let samples = [
        "", "a\n", "a\nb\nc\n", "a\nb\nc", "a\r\nb\r\nc\r\n", "x\n\nx\n\nx\n", "caf\u{E9}\n", "cafe\u{301}\n",
        "- item\n- item\n- item\n", "日本語\nテキスト\n", "no newline",
    ]

    @Test func laws() {
        for o in Self.samples {
            for x in Self.samples {
                #expect(ThreeWayMerge.merge(base: o, x, o) == .clean(x))
                #expect(ThreeWayMerge.merge(base: o, o, x) == .clean(x))
                #expect(ThreeWayMerge.merge(base: o, x, x) == .clean(x))
            }
        }
    }

    /// (base, a, b, expected merge or nil for a conflict)
    @Test(arguments: [
        // Different lines: clean, both edits kept.
        ("a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "A\nb\nc\nd\nE\n" as String?),
        // Same line, different edits: conflict.
        ("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n", nil),
        // Adjacent lines: conflict (diff3).
        ("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nC\nd\n", nil),
        // One side deletes a line, the other edits a distant one.
        ("a\nb\nc\nd\ne\n", "a\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "a\nc\nd\nE\n"),
        // Both insert the same line at the same place (false conflict): taken once.
        ("a\nb\n", "a\nx\nb\n", "a\nx\nb\n", "a\nx\nb\n"),
        // Both append different lines at the end: conflict.
        ("a\n", "a\nb\n", "a\nc\n", nil),
        // Appending to a last line without newline on one side, editing the first on the other.
        ("a\nb\nc", "A\nb\nc", "a\nb\nc\nd", "A\nb\nc\nd"),
        // CRLF kept as written on both sides.
        ("a\r\nb\r\nc\r\nd\r\n", "A\r\nb\r\nc\r\nd\r\n", "a\r\nb\r\nc\r\nD\r\n", "A\r\nb\r\nc\r\nD\r\n"),
        // A line-ending change is an edit of that line.
        ("a\nb\nc\n", "a\r\nb\nc\n", "a\nb\nC\n", "a\r\nb\nC\n"),
        ("a\nb\nc\n", "a\r\nb\nc\n", "a\nb\nc\r\n", "a\r\nb\nc\r\n"),
        // Composed vs decomposed é are different lines: this is an edit, merged as one.
        ("caf\u{E9}\nx\ny\n", "cafe\u{301}\nx\ny\n", "caf\u{E9}\nx\nY\n", "cafe\u{301}\nx\nY\n"),
        ("caf\u{E9}\n", "cafe\u{301}\n", "CAF\u{C9}\n", nil),
        // Repeated lines: edits at both ends of a list of identical items.
        ("- item\n- item\n- item\n- item\n", "- first\n- item\n- item\n- item\n", "- item\n- item\n- item\n- last\n",
         "- first\n- item\n- item\n- last\n"),
        // Blank-line separated paragraphs, Unicode text.
        ("東京\n\n大阪\n\n京都\n", "東京都\n\n大阪\n\n京都\n", "東京\n\n大阪\n\n京都府\n", "東京都\n\n大阪\n\n京都府\n"),
        // Both delete the whole text.
        ("a\nb\n", "", "", ""),
        // One deletes everything, the other edits: conflict.
        ("a\nb\n", "", "a\nB\n", nil),
        // Independent creations from nothing differ: conflict.
        ("", "x\n", "y\n", nil),
    ])
    func golden(base: String, a: String, b: String, expected: String?) {
        let outcome = ThreeWayMerge.merge(base: base, a, b)
        #expect(outcome.text == expected)
        // Symmetry of cleanliness and (here, with disjoint edits) of the result.
        #expect(ThreeWayMerge.merge(base: base, b, a).text == expected)
    }
}
