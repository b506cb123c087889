/// Plain substring search over UTF-8 bytes: much cheaper than Foundation's `range(of:)` or
/// `contains(_:)` (which go through NSString) or the generic `firstRange(of:)` for the short
/// strings metadata cleaning looks at. No allocation when the string is native.
extension String {
    /// The first (or, `backwards`, the last) range of `needle`, or `nil`.
    func byteRange(of needle: String, backwards: Bool = false) -> Range<String.Index>? {
        guard let start = byteOffset(of: needle, backwards: backwards) else { return nil }
        let lower = utf8.index(startIndex, offsetBy: start)
        let upper = utf8.index(lower, offsetBy: needle.utf8.count)
        return lower..<upper
    }

    /// Whether `needle` occurs in the string (byte for byte).
    func containsBytes(_ needle: String) -> Bool { byteOffset(of: needle, backwards: false) != nil }

    /// UTF-8 offset of the first (or last) occurrence of `needle`.
    private func byteOffset(of needle: String, backwards: Bool) -> Int? {
        var hay = self
        var pattern = needle
        return hay.withUTF8 { hay in
            pattern.withUTF8 { pattern in
                guard !pattern.isEmpty, pattern.count <= hay.count else { return nil }
                let last = hay.count - pattern.count
                for step in 0...last {
                    let start = backwards ? last - step : step
                    guard hay[start] == pattern[0] else { continue }
                    var offset = 1
                    while offset < pattern.count && hay[start + offset] == pattern[offset] { offset += 1 }
                    if offset == pattern.count { return start }
                }
                return nil
            }
        }
    }

    /// `self` with every `needle` replaced by `replacement` (iteratively).
    func replacingBytes(_ needle: String, with replacement: String) -> String {
        guard containsBytes(needle) else { return self }
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

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether `pattern` (lower-case ASCII) occurs in these bytes, ASCII case-insensitively;
    /// with `ignoringSpaces`, spaces in the bytes are skipped (`display: none` matches
    /// `display:none`).
    func containsASCIILowercased(_ pattern: StaticString, ignoringSpaces: Bool = false) -> Bool {
        let needle = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        guard !needle.isEmpty else { return true }
        var start = 0
        while start < count {
            var index = start
            var matched = 0
            while matched < needle.count && index < count {
                let byte = self[index]
                index += 1
                if ignoringSpaces && byte == 0x20 && matched > 0 { continue }
                let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                guard lowered == needle[matched] else { break }
                matched += 1
            }
            if matched == needle.count { return true }
            start += 1
        }
        return false
    }
}
