import GRDB

/// The fields change records carry and the columns they materialize into. A field this build
/// does not know (from a newer version) is logged, stamped and relayed, but not shown.
enum Fields {
    /// Tag fields are `tag:<name>`, value `true` (set) or `false` (removed): one LWW register
    /// per (entity, tag).
    static let tagPrefix = "tag:"

    /// The tag a field is the register of (`tag:<name>`), or nil for any other field.
    static func tag(_ field: String) -> String? {
        field.hasPrefix(tagPrefix) ? String(field.dropFirst(tagPrefix.count)) : nil
    }

    enum ColumnType { case text, flag, integer, real }

    struct Column {
        var name: String
        var type: ColumnType
        /// Changing it changes what search finds.
        var searched = false

        /// A change's value as this column stores it.
        func stored(_ value: String?) -> (any DatabaseValueConvertible)? {
            switch type {
            case .text: value
            case .flag: value == "true" ? 1 : 0
            case .integer: value.flatMap { Int64($0) }
            case .real: value.flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil } ?? 0
            }
        }

        /// Binds a change's value as `stored` gives it.
        func bind(_ value: String?, _ row: inout Bind) {
            switch type {
            case .text: row.text(value)
            case .flag: row.int(value == "true" ? 1 : 0)
            case .integer: if let number = value.flatMap({ Int64($0) }) { row.int(number) } else { row.null() }
            case .real: row.double(value.flatMap { Double($0) }.flatMap { $0.isFinite ? $0 : nil } ?? 0)
            }
        }

        /// Binds the column's default in the schema: what a row holds before any change sets it.
        func bindDefault(_ row: inout Bind) {
            switch type {
            case .text, .integer: row.null()
            case .flag: row.int(0)
            case .real: row.double(0)
            }
        }
    }

    /// Note fields other than `body` (a revision graph, see `BodyMerge`).
    static let noteColumns: [String: Column] = [
        "article": Column(name: "article_id", type: .text),
        "anchor": Column(name: "anchor", type: .text),
        "deleted": Column(name: "deleted", type: .flag, searched: true),
    ]

    static let articleColumns: [String: Column] = [
        "url": Column(name: "url", type: .text),
        "canonicalUrl": Column(name: "canonical_url", type: .text),
        "title": Column(name: "title", type: .text, searched: true),
        "byline": Column(name: "byline", type: .text),
        "siteName": Column(name: "site_name", type: .text),
        "published": Column(name: "published", type: .text),
        "language": Column(name: "language", type: .text),
        "excerpt": Column(name: "excerpt", type: .text),
        "leadImageUrl": Column(name: "lead_image_url", type: .text),
        "contentHTML": Column(name: "content_html", type: .text),
        "text": Column(name: "text", type: .text, searched: true),
        "wordCount": Column(name: "word_count", type: .integer),
        "contentHash": Column(name: "content_hash", type: .text),
        "fetchedAt": Column(name: "fetched_at", type: .text),
        "read": Column(name: "read", type: .flag),
        "archived": Column(name: "archived", type: .flag),
        "favorite": Column(name: "favorite", type: .flag),
        "progress": Column(name: "progress", type: .real),
        "deleted": Column(name: "deleted", type: .flag, searched: true),
    ]

    /// Article fields in a fixed order (canonical dump, refresh).
    static let articleFieldOrder = [
        "url", "canonicalUrl", "title", "byline", "siteName", "published", "language", "excerpt",
        "leadImageUrl", "contentHTML", "text", "wordCount", "contentHash", "fetchedAt", "read",
        "archived", "favorite", "progress", "deleted",
    ]
}
