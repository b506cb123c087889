/// One paragraph-like run of text in the article: a `<p>`, list item, heading, quote, `<pre>`,
/// a `<br><br>`-separated run or bare text between blocks. Carries its plain text (spaced the
/// way html-text does), its sanitized inner HTML and what the filters need.
struct TextBlock: Sendable {
    enum Kind: Sendable, Equatable {
        case paragraph, heading(Int), listItem(ordered: Bool), quote, preformatted
    }

    var kind: Kind
    var text: String
    var html: String
    /// The nearest block element around the text.
    var owner: Int
    /// For a list item, the list element holding it (else -1).
    var list: Int = -1
    /// Weighted length (see `PageAnalysis.textLength`) and the part inside links.
    var length: Int
    var linkLength: Int
    /// Hints of every element from the container down to the text.
    var hints: ClassHints
    /// Inside an element whose class/id or tag marks a headline, byline or header.
    var inHeader: Bool

    var linkDensity: Double { length > 0 ? Double(linkLength) / Double(length) : 0 }

    var isHeading: Bool {
        if case .heading = kind { return true }
        return false
    }
}
