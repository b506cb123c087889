import Foundation
import GlossImport
import GlossStorage

/// The stable JSON shapes of the import area (README "JSON shapes"). Absent values encode as
/// `null`, except `id` on a dry run, which is left out.
enum ArticleOutput {
    /// `gloss import --json`: one per source.
    struct Imported: Encodable {
        var source: String
        var id: String?
        var outcome: SaveOutcome?
        var url: String?
        var canonicalUrl: String?
        var title: String?
        var byline: String?
        var siteName: String?
        var published: String?
        var language: String?
        var excerpt: String?
        var wordCount: Int
        var text: String

        enum CodingKeys: String, CodingKey {
            case source, id, outcome, url, canonicalUrl, title, byline, siteName, published, language, excerpt, wordCount, text
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encodeIfPresent(id, forKey: .id)
            try c.encodeIfPresent(outcome, forKey: .outcome)
            for (key, value) in [
                (CodingKeys.url, url), (.canonicalUrl, canonicalUrl), (.title, title), (.byline, byline),
                (.siteName, siteName), (.published, published), (.language, language), (.excerpt, excerpt),
            ] {
                try c.encode(value, forKey: key)
            }
            try c.encode(wordCount, forKey: .wordCount)
            try c.encode(text, forKey: .text)
        }
    }

    /// `gloss import --json` for a source that failed.
    struct Failed: Encodable {
        var source: String
        var error: String
    }

    /// `gloss list --json` (and `show`, with `text` and `notes`).
    struct Listed: Encodable {
        var id: String
        var url: String?
        var canonicalUrl: String?
        var title: String?
        var byline: String?
        var siteName: String?
        var published: String?
        var language: String?
        var excerpt: String?
        var wordCount: Int?
        var tags: [String]
        var read: Bool
        var archived: Bool
        var createdAt: Date
        var text: String?
        var notes: [Note]?
        var showDetail: Bool

        init(_ article: Article, notes: [Note]? = nil) {
            id = article.id
            url = article.url
            canonicalUrl = article.canonicalUrl
            title = article.title
            byline = article.byline
            siteName = article.siteName
            published = article.published
            language = article.language
            excerpt = article.excerpt
            wordCount = article.wordCount
            tags = article.tags
            read = article.read
            archived = article.archived
            createdAt = article.createdAt
            text = notes == nil ? nil : (article.text ?? "")
            self.notes = notes
            showDetail = notes != nil
        }

        enum CodingKeys: String, CodingKey {
            case id, url, canonicalUrl, title, byline, siteName, published, language, excerpt, wordCount, tags, read
            case archived, createdAt, text, notes
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            for (key, value) in [
                (CodingKeys.url, url), (.canonicalUrl, canonicalUrl), (.title, title), (.byline, byline),
                (.siteName, siteName), (.published, published), (.language, language), (.excerpt, excerpt),
            ] {
                try c.encode(value, forKey: key)
            }
            try c.encode(wordCount, forKey: .wordCount)
            try c.encode(tags, forKey: .tags)
            try c.encode(read, forKey: .read)
            try c.encode(archived, forKey: .archived)
            try c.encode(createdAt, forKey: .createdAt)
            if showDetail {
                try c.encode(text ?? "", forKey: .text)
                try c.encode(notes ?? [], forKey: .notes)
            }
        }
    }
}
