import Foundation

/// Finds the main article of an HTML page and its metadata (DESIGN.md §6).
public enum Extractor {
    /// Extracts the article from `html` (already decoded to Unicode) fetched from `url`, which
    /// resolves relative links. Never crashes or hangs on hostile input.
    public static func extract(html: String, url: URL?) throws -> ExtractedArticle {
        // Placeholder until the libxml2 extractor lands.
        ExtractedArticle(url: url?.absoluteString, contentHTML: "", text: "", wordCount: 0)
    }
}
