import Foundation

/// Reads a publication date as the page wrote it and gives back its calendar date
/// (`YYYY-MM-DD`) in the page's own time zone — the offset is never applied, so
/// `2019-11-19T21:50:00-05:00` stays the 19th. Rejects placeholders (years before 1995 or far
/// in the future, such as `0001-01-01`).
enum DateText {
    private static let months: [String: Int] = Dictionary(monthList.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })

    private static let monthList: KeyValuePairs<String, Int> = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
        "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
        "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
        "november": 11, "dec": 12, "december": 12,
        // Portuguese, Spanish, Italian, German, French, Indonesian.
        "janeiro": 1, "fevereiro": 2, "março": 3, "abril": 4, "maio": 5, "junho": 6,
        "julho": 7, "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12,
        "enero": 1, "febrero": 2, "marzo": 3, "mayo": 5, "junio": 6, "julio": 7,
        "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12, "gennaio": 1,
        "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
        "ottobre": 10, "dicembre": 12, "januar": 1, "februar": 2, "märz": 3, "mai": 5,
        "juni": 6, "juli": 7, "oktober": 10, "dezember": 12, "janvier": 1, "février": 2,
        "mars": 3, "avril": 4, "juin": 6, "juillet": 7, "août": 8, "septembre": 9,
        "octobre": 10, "novembre": 11, "décembre": 12, "januari": 1, "februari": 2,
        "maret": 3, "mei": 5, "agustus": 8, "desember": 12,
    ]

    /// The calendar date in `text`, or `nil`.
    static func date(_ text: String) -> String? {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count < 300 else { return nil }
        if let iso = isoDate(text) { return iso }
        if let written = writtenDate(text) { return written }
        return nil
    }

    /// The current year, read once per process.
    private static let thisYear = Calendar(identifier: .gregorian).component(.year, from: Date())

    private static func valid(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard year >= 1995, year <= thisYear + 1, (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        // Years are 1995…next year here, so four digits.
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// `2024-08-08`, `2024-08-08T05:00:00+09:00`, `2024/08/08`, `20240808`, `2024年8月8日`.
    private static func isoDate(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard let (year, afterYear) = number(scalars, index, digits: 4) else {
                index += 1
                continue
            }
            if index > 0, scalars[index - 1].properties.numericType != nil {
                index += 1
                continue
            }
            var cursor = afterYear
            if cursor < scalars.count, "-/.年".unicodeScalars.contains(scalars[cursor]) {
                cursor += 1
                if let (month, afterMonth) = number(scalars, cursor, digits: 2) ?? number(scalars, cursor, digits: 1) {
                    cursor = afterMonth
                    if cursor < scalars.count, "-/.月".unicodeScalars.contains(scalars[cursor]) {
                        cursor += 1
                        if let (day, _) = number(scalars, cursor, digits: 2) ?? number(scalars, cursor, digits: 1),
                            let date = valid(year, month, day)
                        {
                            return date
                        }
                    }
                }
            } else if let (month, afterMonth) = number(scalars, cursor, digits: 2, exact: false),
                let (day, afterDay) = number(scalars, afterMonth, digits: 2),
                afterDay >= scalars.count || scalars[afterDay].properties.numericType == nil,
                let date = valid(year, month, day)
            {
                return date
            }
            index = afterYear
        }
        return nil
    }

    /// A decimal digit of any script (ASCII answered without a property lookup).
    private static func isDecimal(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x30 && scalar.value <= 0x39 }
        return scalar.properties.numericType == .decimal
    }

    /// `digits` decimal digits at `start`; with `exact`, not followed by another digit.
    private static func number(
        _ scalars: [Unicode.Scalar], _ start: Int, digits: Int, exact: Bool = true
    ) -> (Int, Int)? {
        guard start + digits <= scalars.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            // Only ASCII digits are read (`Int("٣")` is nil too).
            let scalar = scalars[start + offset].value
            guard scalar >= 0x30 && scalar <= 0x39 else { return nil }
            value = value * 10 + Int(scalar - 0x30)
        }
        if exact, start + digits < scalars.count, digits < 4, isDecimal(scalars[start + digits]) {
            return nil
        }
        return (value, start + digits)
    }

    /// `Aug 8, 2024`, `8 August 2024`, `08.08.2024`, `8 de agosto de 2024`.
    private static func writtenDate(_ text: String) -> String? {
        let words = text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        for (index, word) in words.enumerated() {
            guard let month = months[word] ?? months[String(word.prefix(3))].flatMap({ word.count <= 4 ? $0 : nil })
            else { continue }
            // Month Day, Year
            if index + 2 < words.count, let day = Int(words[index + 1]), let year = Int(words[index + 2]),
                let date = valid(year, month, day)
            {
                return date
            }
            // Day Month Year / Day de Month de Year
            let dayIndex = index >= 2 && words[index - 1] == "de" ? index - 2 : index - 1
            if dayIndex >= 0, let day = Int(words[dayIndex]) {
                var next = index + 1
                if next < words.count, words[next] == "de" { next += 1 }
                if next < words.count, let year = Int(words[next]), let date = valid(year, month, day) {
                    return date
                }
            }
        }
        // DD.MM.YYYY or DD/MM/YYYY (day first, as most of the world writes it).
        let numbers = words.compactMap { Int($0) }
        if numbers.count >= 3 {
            for index in 0..<(numbers.count - 2) where numbers[index + 2] >= 1995 {
                if numbers[index] > 12, let date = valid(numbers[index + 2], numbers[index + 1], numbers[index]) {
                    return date
                }
                if numbers[index + 1] > 12, let date = valid(numbers[index + 2], numbers[index], numbers[index + 1]) {
                    return date
                }
                if let date = valid(numbers[index + 2], numbers[index + 1], numbers[index]) { return date }
            }
        }
        return nil
    }
}
