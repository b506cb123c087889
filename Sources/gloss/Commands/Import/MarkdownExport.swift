import Foundation
import GlossStorage

/// An article as an Obsidian-friendly Markdown file: YAML front matter, then its highlights
/// and notes as quoted passages (in reading order), then notes without a passage.
enum MarkdownExport {
    static func render(_ article: Article, notes: [Note]) -> String {
        var out = "---\n"
        out += "title: \(yaml(article.title ?? article.url ?? article.id))\n"
        if let url = article.canonicalUrl ?? article.url { out += "url: \(yaml(url))\n" }
        if let byline = article.byline, !byline.isEmpty { out += "author: \(yaml(byline))\n" }
        if let published = article.published, !published.isEmpty { out += "date: \(yaml(published))\n" }
        if let site = article.siteName, !site.isEmpty { out += "site: \(yaml(site))\n" }
        out += "tags: [\(article.tags.map(yaml).joined(separator: ", "))]\n"
        out += "gloss-id: \(article.id)\n"
        out += "---\n\n"
        out += "# \(article.title ?? article.url ?? article.id)\n"

        let text = article.text ?? ""
        let anchored = notes.compactMap { note -> (Int, Note)? in
            guard let anchor = note.anchor else { return nil }
            return (anchor.resolve(in: text)?.lowerBound ?? Int.max, note)
        }.sorted { ($0.0, $0.1.createdAt) < ($1.0, $1.1.createdAt) }
        if !anchored.isEmpty {
            out += "\n## Highlights\n"
            for (position, note) in anchored {
                out += "\n" + quote(note.anchor!.exact) + "\n"
                if position == .max { out += ">\n> *(passage no longer in the article)*\n" }
                if !note.body.isEmpty { out += "\n" + note.body + "\n" }
                if !note.tags.isEmpty { out += "\n" + note.tags.map { "#\(tagName($0))" }.joined(separator: " ") + "\n" }
            }
        }
        let general = notes.filter { $0.anchor == nil }
        if !general.isEmpty {
            out += "\n## Notes\n"
            for note in general {
                out += "\n" + note.body + "\n"
                if !note.tags.isEmpty { out += "\n" + note.tags.map { "#\(tagName($0))" }.joined(separator: " ") + "\n" }
            }
        }
        return out
    }

    static func quote(_ text: String) -> String {
        text.components(separatedBy: "\n").map { $0.isEmpty ? ">" : "> \($0)" }.joined(separator: "\n")
    }

    /// A double-quoted YAML scalar.
    static func yaml(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default:
                if scalar.value < 0x20 { escaped += String(format: "\\x%02X", scalar.value) } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return "\"\(escaped)\""
    }

    /// Obsidian tags cannot hold spaces.
    static func tagName(_ tag: String) -> String {
        tag.replacingOccurrences(of: " ", with: "-")
    }

    /// `Title.md`, without the characters Obsidian and common file systems refuse, at most
    /// 100 characters; ` 2`, ` 3`… when taken (case-insensitively).
    static func fileName(for article: Article, avoiding used: Set<String>) -> String {
        let forbidden = Set("/\\:*?\"<>|#^[]\u{0}")
        var base = String((article.title ?? article.url ?? article.id).map { forbidden.contains($0) || $0.isNewline ? " " : $0 })
        base = base.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        while base.hasPrefix(".") { base.removeFirst() }
        base = String(base.prefix(100)).trimmingCharacters(in: .whitespaces)
        if base.isEmpty { base = article.id }
        var name = base + ".md"
        var counter = 2
        while used.contains(name.lowercased()) {
            name = "\(base) \(counter).md"
            counter += 1
        }
        return name
    }
}
