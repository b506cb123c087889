import Foundation

/// Finds the main article of an HTML page and its metadata (DESIGN.md §6, docs/EXTRACTION.md).
public enum Extractor {
    /// Extracts the article from `html` (already decoded to Unicode) fetched from `url`, which
    /// resolves relative links. Never crashes or hangs on hostile input: the input is capped,
    /// every walk is iterative and linear in the page's size.
    public static func extract(html: String, url: URL?) throws -> ExtractedArticle {
        let tree = HTMLDocument(html: html).tree()
        return ArticleExtraction(tree: tree, url: url).article()
    }
}
