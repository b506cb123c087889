import Foundation

/// A note as the library shows it (DESIGN §2). Encodes as the CLI's stable JSON shape:
/// `{"id","body","articleId","anchor","tags","createdAt","updatedAt"}` (absent values are null).
public struct Note: Hashable, Sendable, Encodable {
    public var id: String
    /// Markdown text; empty for a highlight.
    public var body: String
    public var articleId: String?
    public var anchor: Anchor?
    /// Sorted.
    public var tags: [String]
    /// Wall-clock times of the note's first and latest change (never the HLC).
    public var createdAt: Date
    public var updatedAt: Date
    /// In the trash (a tombstone; restorable).
    public var deleted: Bool
    /// Number of pending conflict revisions (`conflicts()` lists them).
    public var conflictCount: Int

    enum CodingKeys: String, CodingKey { case id, body, articleId, anchor, tags, createdAt, updatedAt }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(body, forKey: .body)
        if let articleId { try c.encode(articleId, forKey: .articleId) } else { try c.encodeNil(forKey: .articleId) }
        if let anchor { try c.encode(anchor, forKey: .anchor) } else { try c.encodeNil(forKey: .anchor) }
        try c.encode(tags, forKey: .tags)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// An article's extracted content and metadata, as an importer hands it to `saveArticle`.
public struct ArticleDraft: Hashable, Sendable {
    public var url: String
    public var canonicalUrl: String?
    public var title: String?
    public var byline: String?
    public var siteName: String?
    public var published: String?
    public var language: String?
    public var excerpt: String?
    public var leadImageUrl: String?
    public var contentHTML: String
    public var text: String
    public var wordCount: Int
    /// SHA-256 of `text` when nil.
    public var contentHash: String?
    /// ISO-8601; now when nil.
    public var fetchedAt: String?

    public init(
        url: String, canonicalUrl: String? = nil, title: String? = nil, byline: String? = nil,
        siteName: String? = nil, published: String? = nil, language: String? = nil,
        excerpt: String? = nil, leadImageUrl: String? = nil, contentHTML: String = "",
        text: String = "", wordCount: Int? = nil, contentHash: String? = nil, fetchedAt: String? = nil
    ) {
        self.url = url
        self.canonicalUrl = canonicalUrl
        self.title = title
        self.byline = byline
        self.siteName = siteName
        self.published = published
        self.language = language
        self.excerpt = excerpt
        self.leadImageUrl = leadImageUrl
        self.contentHTML = contentHTML
        self.text = text
        self.wordCount = wordCount ?? text.split(whereSeparator: { $0.isWhitespace }).count
        self.contentHash = contentHash
        self.fetchedAt = fetchedAt
    }
}

/// An article as the library holds it: content, metadata and the reader's state.
public struct Article: Hashable, Sendable, Encodable {
    public var id: String
    public var url: String?
    public var canonicalUrl: String?
    public var title: String?
    public var byline: String?
    public var siteName: String?
    public var published: String?
    public var language: String?
    public var excerpt: String?
    public var leadImageUrl: String?
    public var contentHTML: String?
    public var text: String?
    public var wordCount: Int?
    public var contentHash: String?
    public var fetchedAt: String?
    public var read: Bool
    public var archived: Bool
    public var favorite: Bool
    /// Reading progress, 0…1.
    public var progress: Double
    public var tags: [String]
    public var deleted: Bool
    public var createdAt: Date
    public var updatedAt: Date
}

/// What `saveArticle` did.
public enum SaveOutcome: String, Sendable, Codable {
    case created, unchanged, refreshed
}

/// A tag and how many live notes and articles carry it.
public struct TagCount: Hashable, Sendable, Encodable {
    public var name: String
    public var count: Int
}

/// One search result. `rank` is SQLite's bm25 score (lower is better; results come sorted);
/// `snippet` marks matches with `[` and `]`.
public struct SearchHit: Hashable, Sendable, Encodable {
    public enum Kind: String, Sendable, Encodable { case note, article }
    public var kind: Kind
    public var id: String
    public var title: String
    public var snippet: String
    public var rank: Double
}

/// One change record as `log` lists it. Encodes as `{"site","seq","entity","entityId","field","hlc"}`.
public struct LogEntry: Hashable, Sendable, Encodable {
    public var site: String
    public var seq: Int64
    public var entity: EntityKind
    public var entityId: String
    public var field: String
    public var hlc: HLC
    /// The writer's wall clock (for display).
    public var wall: Date

    enum CodingKeys: String, CodingKey { case site, seq, entity, entityId, field, hlc }
}

/// A note with pending conflict revisions. Encodes as
/// `{"noteId","body","revisions":[{"id","body","site","hlc"}]}`.
public struct ConflictInfo: Hashable, Sendable, Encodable {
    public struct Revision: Hashable, Sendable, Encodable {
        /// The revision's `ChangeRef` text (`<site>:<seq>`), what `resolveConflict` takes.
        public var id: String
        public var body: String
        public var site: String
        public var hlc: HLC
    }

    public var noteId: String
    /// The body shown (the winning head).
    public var body: String
    public var revisions: [Revision]
}

/// Which body `resolveConflict` keeps.
public enum ConflictChoice: Hashable, Sendable {
    /// The body shown now.
    case current
    /// A conflict revision's text, by its `ChangeRef`.
    case revision(ChangeRef)
}

/// What `apply` did with a batch of changes.
public struct ApplyReport: Sendable, Hashable {
    /// Changes new to this library, now logged and merged.
    public var applied: Int
    /// Changes already held (same hash): no-ops.
    public var skipped: Int
    /// Things a user should know, e.g. clock skew naming the site and its offset.
    public var warnings: [String]

    public init(applied: Int = 0, skipped: Int = 0, warnings: [String] = []) {
        self.applied = applied
        self.skipped = skipped
        self.warnings = warnings
    }
}

/// A site id this library has written as, and why it took it.
public struct SiteRecord: Hashable, Sendable {
    public var site: String
    public var since: Date
    public var reason: String
}
