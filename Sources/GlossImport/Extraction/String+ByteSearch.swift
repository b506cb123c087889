/// Plain substring search over UTF-8 bytes: much cheaper than Foundation's `range(of:)` or
/// the generic `firstRange(of:)` for the short strings metadata cleaning looks at.
extension String {
    /// The first (or, `backwards`, the last) range of `needle`, or `nil`.
    func byteRange(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        let hay = Array(utf8)
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, pattern.count <= hay.count else { return nil }
        let starts = Array(0...(hay.count - pattern.count))
        for start in backwards ? starts.reversed() : starts {
            var offset = 0
            while offset < pattern.count && hay[start + offset] == pattern[offset] { offset += 1 }
            if offset == pattern.count {
                let lower = utf8.index(startIndex, offsetBy: start)
                let upper = utf8.index(lower, offsetBy: pattern.count)
                return lower..<upper
            }
        }
        return nil
    }

    /// `self` with every `needle` replaced by `replacement` (iteratively).
    func replacingBytes(_ needle: String, with replacement: String) -> String {
        var rest = self
        var out = ""
        while let found = rest.byteRange(of: needle) {
            out += rest[..<found.lowerBound]
            out += replacement
            rest = String(rest[found.upperBound...])
        }
        return out + rest
    }
}
