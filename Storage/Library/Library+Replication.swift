import Foundation
import GRDB

/// The sync-facing side of the replica: what the sync engine reads and applies (DESIGN §4).
extension Library {
    /// The highest contiguous seq held per site (logs never have gaps: `apply` refuses them).
    public func versionVector() throws -> VersionVector {
        try read { db in
            var vector = VersionVector()
            for row in try Row.fetchAll(db, sql: "SELECT site, MAX(seq) AS top FROM changes GROUP BY site") {
                vector[row["site"]] = row["top"]
            }
            return vector
        }
    }

    /// The changes of `site` with seq above `after`, in seq order, at most `limit`.
    public func changes(site: String, after: Int64, limit: Int) throws -> [Change] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM changes WHERE site = ? AND seq > ? ORDER BY seq LIMIT ?",
                arguments: [site, after, max(0, limit)]
            ).map(Change.init(row:))
        }
    }

    /// Applies changes received from other replicas (of any sites; in seq order per site) in one
    /// transaction, through the same path as local writes. Changes already held are skipped.
    /// Throws — applying nothing of the batch — on a forked log (same site and seq, different
    /// content), a gap, a bad hash or an oversized value.
    @discardableResult
    public func apply(_ changes: [Change]) throws -> ApplyReport {
        try transaction { replica in
            var report = ApplyReport()
            (report.applied, report.skipped) = try replica.receive(batch: changes)
            try replica.finish()
            report.warnings = replica.warnings
            replica.warnings = []
            return report
        }
    }

    /// A deterministic text of all user-visible state: articles (every field, tags, deleted),
    /// notes (body, heads, article, anchor, tags, deleted, times) and their conflict revisions.
    /// Two replicas that have seen the same set of changes give the same text, whatever the order.
    public func canonicalDump() throws -> String {
        try read { db in
            var out = ""
            var tags: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT entity_id, tag FROM tags ORDER BY entity_id, tag") {
                tags[row["entity_id"], default: []].append(row["tag"])
            }
            func q(_ value: (any CustomStringConvertible)?) -> String {
                guard let value else { return "null" }
                return Self.quote(value.description)
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM articles ORDER BY id") {
                let id: String = row["id"]
                out += "article \(id)\n"
                for field in Fields.articleFieldOrder {
                    let column = Fields.articleColumns[field]!
                    out += "  \(field): \(q(Self.text(row[column.name])))\n"
                }
                out += "  tags: [\((tags[id] ?? []).map(Self.quote).joined(separator: ", "))]\n"
                out += "  created: \(row["created_at"] as Int64) updated: \(row["updated_at"] as Int64)\n"
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM notes ORDER BY id") {
                let id: String = row["id"]
                out += "note \(id)\n"
                out += "  body: \(q(row["body"] as String))\n"
                out += "  heads: \(row["heads"] as String)\n"
                out += "  article: \(q(row["article_id"] as String?))\n"
                out += "  anchor: \(q(row["anchor"] as String?))\n"
                out += "  tags: [\((tags[id] ?? []).map(Self.quote).joined(separator: ", "))]\n"
                out += "  deleted: \(row["deleted"] as Int64 != 0)\n"
                out += "  created: \(row["created_at"] as Int64) updated: \(row["updated_at"] as Int64)\n"
                for ref in Replica.refs(row["conflicts"]) {
                    let text = try String.fetchOne(
                        db, sql: "SELECT value FROM changes WHERE site = ? AND seq = ?", arguments: [ref.site, ref.seq])
                    out += "  conflict \(ref): \(q(text))\n"
                }
            }
            return out
        }
    }

    /// A stored value as the text a change carries (nil for NULL).
    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case .int64(let int): return String(int)
        case .double(let double): return String(double)
        case .string(let string): return string
        case .blob(let data): return data.base64EncodedString()
        }
    }

    /// A JSON-style quoted string: the same text always gives the same bytes.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(format: "%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Change {
    /// A change as stored: the hash is the stored one (verified when it was applied).
    init(row: Row) {
        site = row["site"]
        seq = row["seq"]
        entity = EntityKind(rawValue: row["entity"]) ?? .note
        entityId = row["entity_id"]
        field = row["field"]
        value = row["value"]
        hlc = HLC(rawValue: row["hlc"])
        base = Replica.refs(row["base"])
        wall = row["wall"]
        prev = row["prev"]
        hash = row["hash"]
    }
}
