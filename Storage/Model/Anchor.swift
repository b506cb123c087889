import Foundation

/// Where a note sits in its article's plain text (W3C Web Annotation selectors): a
/// TextQuoteSelector (`exact`, `prefix`, `suffix`, ~32 characters of context each side) and a
/// TextPositionSelector (`start`..<`end`, in Characters of the text).
///
/// Re-anchoring, when the article text changed (`resolve(in:)`), tries in order: the stored
/// offsets (the text there still equals `exact`); the exact quote (the occurrence whose context
/// matches best, then the one nearest the old offset); a fuzzy match scored by quote, prefix,
/// suffix and position. When nothing scores well enough the anchor is orphaned (`nil`): the note
/// is kept and shown as orphaned, never attached to the wrong passage.
public struct Anchor: Codable, Hashable, Sendable {
    public var exact: String
    public var prefix: String
    public var suffix: String
    public var start: Int
    public var end: Int

    public init(exact: String, prefix: String, suffix: String, start: Int, end: Int) {
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
        self.start = start
        self.end = end
    }

    /// Context kept each side of the quote, in Characters.
    public static let contextLength = 32

    /// The anchor of the first occurrence of `quote` in `text`, or nil when the passage is not
    /// there. Leading and trailing whitespace of the quote is ignored.
    public static func locate(quote: String, in text: String) -> Anchor? {
        let quote = quote.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !quote.isEmpty, let range = text.range(of: quote) else { return nil }
        return make(text, range)
    }

    static func make(_ text: String, _ range: Range<String.Index>) -> Anchor {
        let start = text.distance(from: text.startIndex, to: range.lowerBound)
        let end = start + text.distance(from: range.lowerBound, to: range.upperBound)
        let before = text[..<range.lowerBound].suffix(contextLength)
        let after = text[range.upperBound...].prefix(contextLength)
        return Anchor(exact: String(text[range]), prefix: String(before), suffix: String(after), start: start, end: end)
    }

    /// Finds this anchor's passage in `text` (possibly changed since the anchor was made), as
    /// Character offsets; nil when it cannot be anchored (orphaned).
    public func resolve(in text: String) -> Range<Int>? {
        let chars = Array(text)
        let quote = Array(exact)
        guard !quote.isEmpty else { return nil }
        // 1. The stored offsets still hold the quote.
        if start >= 0, end <= chars.count, end - start == quote.count, Array(chars[start..<end]) == quote {
            return start..<end
        }
        // 2. The exact quote elsewhere: best context, then nearest the old position.
        var best: (score: Int, distance: Int, at: Int)?
        var searchFrom = text.startIndex
        while let found = text.range(of: exact, range: searchFrom..<text.endIndex) {
            let at = text.distance(from: text.startIndex, to: found.lowerBound)
            let score = Self.commonSuffix(Array(prefix), Array(chars[max(0, at - prefix.count)..<at]))
                + Self.commonPrefix(Array(suffix), Array(chars[min(chars.count, at + quote.count)..<min(chars.count, at + quote.count + suffix.count)]))
            let distance = abs(at - start)
            if best == nil || score > best!.score || (score == best!.score && distance < best!.distance) {
                best = (score, distance, at)
            }
            searchFrom = text.index(after: found.lowerBound)
        }
        if let best { return best.at..<(best.at + quote.count) }
        // 3. Fuzzy: windows of the quote's length near prefix/suffix hits, scored by similarity.
        return fuzzy(chars, quote)
    }

    private func fuzzy(_ chars: [Character], _ quote: [Character]) -> Range<Int>? {
        guard quote.count <= 2_000, chars.count <= 2_000_000 else { return nil }
        var candidates = Set<Int>()
        let text = String(chars)
        if !prefix.isEmpty {
            var from = text.startIndex
            while let r = text.range(of: prefix, range: from..<text.endIndex) {
                candidates.insert(text.distance(from: text.startIndex, to: r.upperBound))
                from = text.index(after: r.lowerBound)
            }
        }
        if !suffix.isEmpty {
            var from = text.startIndex
            while let r = text.range(of: suffix, range: from..<text.endIndex) {
                candidates.insert(text.distance(from: text.startIndex, to: r.lowerBound) - quote.count)
                from = text.index(after: r.lowerBound)
            }
        }
        candidates.insert(start)
        var best: (similarity: Double, range: Range<Int>)?
        for candidate in candidates.sorted() {
            for length in [quote.count - quote.count / 5, quote.count, quote.count + quote.count / 5] {
                let lower = max(0, candidate), upper = min(chars.count, lower + length)
                guard upper > lower else { continue }
                let similarity = Self.similarity(quote, Array(chars[lower..<upper]))
                if similarity > (best?.similarity ?? 0) { best = (similarity, lower..<upper) }
            }
        }
        guard let best, best.similarity >= 0.8 else { return nil }
        return best.range
    }

    /// 1 − (Levenshtein distance / longer length).
    static func similarity(_ a: [Character], _ b: [Character]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, cb) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
            }
            previous = current
        }
        return 1 - Double(previous[b.count]) / Double(Swift.max(a.count, b.count))
    }

    static func commonSuffix(_ a: [Character], _ b: [Character]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[a.count - 1 - n] == b[b.count - 1 - n] { n += 1 }
        return n
    }

    static func commonPrefix(_ a: [Character], _ b: [Character]) -> Int {
        var n = 0
        while n < a.count, n < b.count, a[n] == b[n] { n += 1 }
        return n
    }

    /// The JSON text stored in the `anchor` field (sorted keys: the same anchor is the same text).
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    init?(jsonText: String?) {
        guard let jsonText, let anchor = try? JSONDecoder().decode(Anchor.self, from: Data(jsonText.utf8)) else {
            return nil
        }
        self = anchor
    }
}
