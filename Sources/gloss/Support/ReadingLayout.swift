import Foundation
import GlossStorage

/// Lays an article out for reading in a terminal (`gloss read`): a header, the text wrapped to
/// the width, each highlighted passage between `«` and `»` (underlined in colour), each note
/// numbered at its passage's end and its body shown right under that paragraph, indented
/// behind a bar; notes whose passage is gone (orphaned) and notes without a passage at the end.
enum ReadingLayout {
    /// A note placed at a passage of the text (Character offsets).
    struct Placed {
        var range: Range<Int>
        var note: Note
        /// 1, 2, … for notes with a body; nil for a plain highlight.
        var number: Int?
    }

    static let open: Character = "«"
    static let close: Character = "»"

    static func render(article: Article, notes: [Note], width: Int, color: Bool) -> String {
        let width = max(20, min(width, 100))
        let text = article.text ?? ""
        var out: [String] = []

        // Header.
        let title = article.title ?? article.url ?? article.id
        out.append(contentsOf: wrap(title, width: width).map { color ? "\u{1B}[1m\($0)\u{1B}[0m" : $0 })
        let details = [article.byline, article.siteName, article.published].compactMap { $0 }.filter { !$0.isEmpty }
        if !details.isEmpty { out.append(contentsOf: wrap(details.joined(separator: " · "), width: width)) }
        if let url = article.canonicalUrl ?? article.url { out.append(url) }
        out.append(String(repeating: "─", count: min(width, 40)))
        out.append("")

        // Place the notes.
        var placed: [Placed] = []
        var orphaned: [Note] = []
        var general: [Note] = []
        for note in notes {
            guard let anchor = note.anchor else {
                general.append(note)
                continue
            }
            if let range = anchor.resolve(in: text) { placed.append(Placed(range: range, note: note)) } else { orphaned.append(note) }
        }
        placed.sort { ($0.range.lowerBound, $0.range.upperBound, $0.note.createdAt) < ($1.range.lowerBound, $1.range.upperBound, $1.note.createdAt) }
        var counter = 0
        for index in placed.indices where !placed[index].note.body.isEmpty {
            counter += 1
            placed[index].number = counter
        }

        // Paragraphs, with markers, then the notes that end in them.
        var start = 0
        let paragraphs = text.components(separatedBy: "\n\n")
        for (index, paragraph) in paragraphs.enumerated() {
            let end = start + paragraph.count
            let isLast = index == paragraphs.count - 1
            defer { start = end + 2 }
            guard !paragraph.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { continue }
            var inserts: [(at: Int, order: Int, text: String)] = []
            var endingHere: [Placed] = []
            for item in placed {
                if item.range.lowerBound >= start, item.range.lowerBound < end || (item.range.lowerBound == end && item.range.isEmpty) {
                    inserts.append((item.range.lowerBound - start, 1, String(open)))
                }
                if item.range.upperBound > start, item.range.upperBound <= end || (isLast && item.range.upperBound > end) {
                    let number = item.number.map { superscript($0) } ?? ""
                    inserts.append((min(item.range.upperBound, end) - start, 0, String(close) + number))
                    endingHere.append(item)
                }
            }
            var characters = Array(paragraph)
            for insert in inserts.sorted(by: { ($0.at, $0.order) > ($1.at, $1.order) }) {
                characters.insert(contentsOf: Array(insert.text), at: insert.at)
            }
            for line in wrap(String(characters), width: width) {
                out.append(color ? colorize(line) : line)
            }
            for item in endingHere {
                guard let number = item.number else { continue }
                out.append("")
                out.append(contentsOf: noteBlock(item.note, number: number, quote: nil, width: width, color: color))
            }
            out.append("")
        }

        if !general.isEmpty {
            out.append(color ? "\u{1B}[1mNotes on this article\u{1B}[0m" : "Notes on this article")
            out.append("")
            for note in general {
                out.append(contentsOf: noteBlock(note, number: nil, quote: nil, width: width, color: color))
                out.append("")
            }
        }
        if !orphaned.isEmpty {
            out.append(color ? "\u{1B}[1mOrphaned notes (their passage is no longer in the article)\u{1B}[0m" : "Orphaned notes (their passage is no longer in the article)")
            out.append("")
            for note in orphaned {
                out.append(contentsOf: noteBlock(note, number: nil, quote: note.anchor?.exact, width: width, color: color))
                out.append("")
            }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    /// A note's body behind a bar, numbered like its marker; `quote` for orphans.
    static func noteBlock(_ note: Note, number: Int?, quote: String?, width: Int, color: Bool) -> [String] {
        let bar = color ? "\u{1B}[33m│\u{1B}[0m " : "│ "
        let inner = max(10, width - 6)
        var lines: [String] = []
        if let quote { lines += wrap("“\(quote)”", width: inner) }
        let label = number.map { "\(superscript($0)) " } ?? ""
        let body = note.body.isEmpty ? "(highlight)" : note.body
        for (index, paragraph) in body.components(separatedBy: "\n").enumerated() {
            lines += wrap((index == 0 ? label : "") + paragraph, width: inner)
        }
        return lines.map { "    " + bar + $0 }
    }

    /// Underlines highlighted passages (the markers stay, so the text reads the same without colour).
    static func colorize(_ line: String) -> String {
        line.replacingOccurrences(of: String(open), with: "\(open)\u{1B}[4m")
            .replacingOccurrences(of: String(close), with: "\u{1B}[24m\(close)")
    }

    static func superscript(_ number: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return String(String(number).compactMap { $0.wholeNumberValue.map { digits[$0] } })
    }

    /// Words wrapped to `width` display columns (East Asian wide characters count two); a word
    /// wider than a line is broken, so CJK text without spaces wraps too.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for source in text.components(separatedBy: "\n") {
            var line = ""
            var lineWidth = 0
            for word in source.split(separator: " ", omittingEmptySubsequences: true) {
                let wordWidth = displayWidth(word)
                if lineWidth > 0, lineWidth + 1 + wordWidth <= width {
                    line += " " + word
                    lineWidth += 1 + wordWidth
                    continue
                }
                if lineWidth > 0 {
                    lines.append(line)
                    line = ""
                    lineWidth = 0
                }
                for character in word {
                    let w = displayWidth(character)
                    if lineWidth + w > width, lineWidth > 0 {
                        lines.append(line)
                        line = ""
                        lineWidth = 0
                    }
                    line.append(character)
                    lineWidth += w
                }
            }
            lines.append(line)
        }
        return lines
    }

    static func displayWidth<S: StringProtocol>(_ text: S) -> Int {
        text.reduce(0) { $0 + displayWidth($1) }
    }

    static func displayWidth(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first?.value else { return 0 }
        switch scalar {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
