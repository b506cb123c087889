import Foundation

/// An article as the extractor found it in a page: the value `GlossImport` returns and the CLI
/// stores through `GlossStorage`. Optional fields are `nil` when the page does not say.
public struct ExtractedArticle: Codable, Hashable, Sendable {
    /// The URL the page was fetched from (after redirects), or given for a file.
    public var url: String?
    /// The page's canonical URL (`<link rel=canonical>`, og:url), absolute; else `url`.
    public var canonicalURL: String?
    public var title: String?
    /// Author name(s), comma-separated, without "By".
    public var byline: String?
    public var siteName: String?
    /// As the page wrote it: `2024-08-08` (a date alone) or ISO-8601 with the page's own UTC
    /// offset (`2024-08-08T09:00:00+09:00`); never converted to another zone.
    public var published: String?
    /// BCP 47 language tag, e.g. `en`, `ja`, `pt-BR`.
    public var language: String?
    public var excerpt: String?
    public var leadImageURL: String?
    /// Sanitized HTML of the article body: no scripts, styles, event handlers, iframes or
    /// forms; links absolute.
    public var contentHTML: String
    /// Plain text of the body: paragraphs separated by one blank line.
    public var text: String
    public var wordCount: Int

    public init(
        url: String? = nil, canonicalURL: String? = nil, title: String? = nil,
        byline: String? = nil, siteName: String? = nil, published: String? = nil,
        language: String? = nil, excerpt: String? = nil, leadImageURL: String? = nil,
        contentHTML: String, text: String, wordCount: Int
    ) {
        self.url = url
        self.canonicalURL = canonicalURL
        self.title = title
        self.byline = byline
        self.siteName = siteName
        self.published = published
        self.language = language
        self.excerpt = excerpt
        self.leadImageURL = leadImageURL
        self.contentHTML = contentHTML
        self.text = text
        self.wordCount = wordCount
    }
}
