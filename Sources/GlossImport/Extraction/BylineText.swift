import Foundation

/// Cleans an author field into person names: strips "By", e-mail addresses, @handles and URLs,
/// cuts off glued dates, bios ("… is a reporter") and roles ("기자", "記者"), drops "Staff" and usernames,
/// splits on `,` `;` `&` `|` and "and", and title-cases names written in capitals.
enum BylineText {
    private static let prefixes = [
        "by:", "by ", "written by ", "posted by ", "words by ", "story by ", "por ", "von ",
        "oleh ", "par ", "автор:", "автор ", "текст:",
    ]
    private static let stopWords: Set<String> = [
        "staff", "staff writer", "staff reporter", "editorial staff", "editor", "editors",
        "admin", "administrator", "the editors", "newsroom", "news desk", "web desk",
        "contributor", "guest", "anonymous", "unknown", "redação", "redaccion", "redacción",
        "redazione", "redaksi", "редакция",
    ]
    /// Job titles written after the name (Korean, Japanese, Chinese bylines).
    private static let roleSuffixes = ["기자", "특파원", "記者", "特派員", "編集委員", "记者"]
    private static let credentials: Set<String> = [
        "md", "ms", "phd", "rdn", "rd", "mph", "rn", "mba", "ma", "ba", "bsc", "msc", "jr", "sr",
        "cpa", "esq", "dr", "lcsw", "np", "pa", "ld",
    ]

    private static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
        "Sept", "Oct", "Nov", "Dec",
    ]

    private static func cutGluedMonth(_ text: String) -> String {
        var previous: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isUppercase, let previous, previous.isLowercase {
                let rest = text[index...]
                for month in monthNames where rest.hasPrefix(month) {
                    let after = rest.dropFirst(month.count).first
                    if after == nil || !(after!.isLetter) { return String(text[..<index]) }
                }
            }
            previous = character
            index = text.index(after: index)
        }
        return text
    }

    static func clean(_ raw: String) -> String? {
        var text = raw.replacingBytes("\u{A0}", with: " ")
        // Glued date: "Carrie ArnoldNovember 15, 2019" (a month name right after a lower-case
        // letter).
        if text.contains(where: \.isNumber) { text = cutGluedMonth(text) }
        for cut in [" is a ", " is an ", " is the ", " was a ", " writes ", " covers ", "\n", " | ", " — ", " – ", " - ", "Updated", "Published", "Posted"] {
            if let range = text.byteRange(of: cut) { text = String(text[..<range.lowerBound]) }
        }
        if text.containsBytes("@") {
            text = text.replacingOccurrences(of: "[\\w.+-]+@[\\w-]+\\.[\\w.]+", with: "", options: .regularExpression)
            text = text.replacingOccurrences(of: "(^|\\s)@\\w+", with: "", options: .regularExpression)
        }
        if text.containsBytes("http") {
            text = text.replacingOccurrences(of: "https?://\\S+", with: "", options: .regularExpression)
        }
        // Digits start a date or a time.
        if let digit = text.firstIndex(where: { $0.isNumber }) { text = String(text[..<digit]) }
        var names: [String] = []
        let parts = text.replacingBytes(" and ", with: ",").replacingBytes(" e ", with: ",")
            .replacingBytes(" и ", with: ",")
            .split(whereSeparator: { ",;|/&·".contains($0) })
        for part in parts {
            var name = String(
                part.drop(while: { $0.isWhitespace || $0.isPunctuation })
                    .reversed().drop(while: { $0.isWhitespace || ($0.isPunctuation && $0 != ".") }).reversed())
            var lowered = name.lowercased()
            for prefix in prefixes where lowered.hasPrefix(prefix) {
                name = String(name.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
                lowered = name.lowercased()
            }
            for suffix in roleSuffixes where name.hasSuffix(suffix) && name.count > suffix.count {
                name = String(name.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
                lowered = name.lowercased()
            }
            if lowered == "by" { continue }
            guard !name.isEmpty, !stopWords.contains(lowered), !credentials.contains(lowered) else { continue }
            if lowered.containsBytes("staff") || lowered.hasSuffix(" news") || lowered.hasPrefix("the ") { continue }
            let words = name.split(separator: " ")
            guard words.count <= 5, name.count <= 60 else { continue }
            // A username: one lower-case word.
            if words.count == 1 && name == lowered && name.unicodeScalars.allSatisfy({ $0.isASCII }) { continue }
            if name == name.uppercased() && name != lowered {
                name = name.capitalized
                // Keep initials like "R." upper-case.
            }
            if !names.contains(name) { names.append(name) }
        }
        guard !names.isEmpty else { return nil }
        return names.joined(separator: ", ")
    }
}
