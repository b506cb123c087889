import Foundation
import GlossStorage

/// Opening the library and the small formatting helpers the library commands share.
enum LibraryAccess {
    /// Opens (creating on first use) the library at `LibraryLocation.folder()`.
    static func open() throws -> Library {
        try Library.open(folder: LibraryLocation.folder())
    }

    /// Resolves a user-typed id (any unique prefix) among the given kinds.
    static func resolve(_ library: Library, _ text: String, _ kinds: Set<EntityKind> = [.note, .article]) throws -> (kind: EntityKind, id: String) {
        try library.resolveId(text, kinds: kinds)
    }

    /// The first 8 characters of an id, as listings show it.
    static func short(_ id: String) -> String { String(id.prefix(8)) }

    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// One line of text, at most `width` characters.
    static func line(_ text: String, width: Int = 60) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > width ? String(flat.prefix(width - 1)) + "…" : flat
    }

    /// Rows padded into columns (the last column is not padded).
    static func table(_ rows: [[String]]) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    static func printLines(_ text: String) {
        if !text.isEmpty { print(text) }
    }
}
