/// Drops boilerplate blocks from the container's blocks: link lists, promos ("Read more",
/// "Leia também", "Читайте также"…), the headline, dek and byline lines at the top,
/// copyright and trailing headings at the bottom, and repeated blocks. ("About X" company
/// boilerplate is kept: the development set's ground truth keeps it as often as it drops it.)
/// Two passes, as jusText does: each block alone, then revised by its neighbours.
struct BlockFilter {
    /// Normalized title of the page (for dropping the headline), if known.
    private let title: String
    /// Normalized dek/description (og:description), if known.
    private let description: String

    init(title: String?, description: String?) {
        self.title = title.map(Self.normalized) ?? ""
        self.description = description.map(Self.normalized) ?? ""
    }

    func filter(_ blocks: [TextBlock]) -> [TextBlock] {
        var kept = reviseByContext(blocks, verdicts: blocks.map(verdict))
        kept = trimTop(kept)
        kept = trimBottom(kept)
        return dedupe(kept)
    }

    private enum Verdict { case good, short, linky, bad }

    /// jusText-style first pass: prose, short, too many links (a list item may still be kept
    /// with its list), or boilerplate.
    private func verdict(_ block: TextBlock) -> Verdict {
        if Self.isPromo(block.text) || Self.isShortcode(block.text) { return .bad }
        // Embedded posts (tweets) are mostly links but are part of the story.
        if block.hints.contains(.embed) { return block.length < 80 ? .short : .good }
        let density = block.linkDensity
        if density > 0.5 && !(block.length > 300 && density < 0.7) {
            return density < 0.8 && block.length >= 80 ? .linky : .bad
        }
        if block.length < 80 && density > 0.3 && !block.isHeading { return .bad }
        return block.length < 80 || block.isHeading ? .short : .good
    }

    /// Second pass by neighbours: a list item with many links stays when most items of its
    /// list are prose; short blocks and headings go when boilerplate surrounds them.
    private func reviseByContext(_ blocks: [TextBlock], verdicts: [Verdict]) -> [TextBlock] {
        var verdicts = verdicts
        var listGood: [Int: (good: Int, all: Int)] = [:]
        for (block, verdict) in zip(blocks, verdicts) where Self.isListItem(block) {
            listGood[block.list, default: (0, 0)].all += 1
            if verdict == .good { listGood[block.list, default: (0, 0)].good += 1 }
        }
        // A long paragraph with many links between prose (or opening it) is prose that cites.
        func prose(_ start: Int, _ step: Int) -> Bool? {
            var index = start + step
            while index >= 0 && index < verdicts.count {
                if verdicts[index] == .good { return true }
                if verdicts[index] == .bad || verdicts[index] == .linky { return false }
                index += step
            }
            return nil
        }
        var revised = verdicts
        for index in verdicts.indices where verdicts[index] == .linky {
            let block = blocks[index]
            if Self.isListItem(block), let counts = listGood[block.list], counts.good * 2 >= counts.all {
                revised[index] = .good
            } else if !Self.isListItem(block), block.length >= 150, prose(index, 1) == true,
                prose(index, -1) != false
            {
                revised[index] = .good
            } else {
                revised[index] = .bad
            }
        }
        verdicts = revised
        // The nearest good-or-bad verdict before and after each block, in two linear passes.
        var previous: [Verdict?] = Array(repeating: nil, count: verdicts.count)
        var following: [Verdict?] = Array(repeating: nil, count: verdicts.count)
        var last: Verdict? = nil
        for index in verdicts.indices {
            previous[index] = last
            if verdicts[index] == .good || verdicts[index] == .bad { last = verdicts[index] }
        }
        last = nil
        for index in verdicts.indices.reversed() {
            following[index] = last
            if verdicts[index] == .good || verdicts[index] == .bad { last = verdicts[index] }
        }
        var kept: [TextBlock] = []
        for index in blocks.indices {
            switch verdicts[index] {
            case .good:
                kept.append(blocks[index])
            case .short:
                let before = previous[index], after = following[index]
                if before == .bad && (after == .bad || after == nil) { continue }
                if after == .bad && before == nil && !blocks[index].isHeading { continue }
                kept.append(blocks[index])
            case .linky, .bad:
                continue
            }
        }
        return kept
    }

    private static func isListItem(_ block: TextBlock) -> Bool {
        if case .listItem = block.kind { return true }
        return false
    }

    /// WordPress-style shortcodes left as text: `[button …]…[/button]`.
    static func isShortcode(_ text: String) -> Bool {
        text.hasPrefix("[") && text.contains("[/") && text.hasSuffix("]")
    }

    /// Short lines that point elsewhere, in several languages.
    static func isPromo(_ text: String) -> Bool {
        let size = text.utf8.count
        guard size < 300 else { return false }
        // Cues are short prefixes: lower-case only the head of the block — on bytes when it
        // holds only ASCII (no CR) and general punctuation (’ “ — …), which has no case.
        // No cue is longer than 28 bytes, so 40 bytes of head decide as 40 characters would.
        let head = size <= 48 ? text.utf8[...] : text.utf8.prefix(40)
        if Self.isCaselessBeyondASCII(head) {
            let lowered = head.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
            if size <= 48, labels.contains(String(decoding: lowered, as: UTF8.self)) { return true }
            guard let first = lowered.first else { return false }
            for cue in promoPrefixesByFirstByte[Int(first)] where lowered.starts(with: cue) { return true }
            return false
        }
        let lowered = size <= 48 ? text.lowercased() : String(text.prefix(40)).lowercased()
        if size <= 48, labels.contains(lowered) { return true }
        for cue in promoPrefixes where lowered.hasPrefix(cue) { return true }
        return false
    }

    /// Whole blocks that are labels, not prose.
    static let labels: Set<String> = [
        "advert", "advertisement", "ad", "comments", "comment", "comments are closed.",
        "comments are closed", "this slideshow requires javascript.", "tell us what you think...",
        "share", "share this:", "share this article", "print", "email", "reklama", "реклама",
        "publicidade", "publicidad", "pubblicità", "werbung", "iklan", "광고", "広告", "continue reading",
        "leave a comment", "leave a reply", "related", "related posts", "loading...",
    ]

    static let promoPrefixes: [String] = [
        "read more", "read also", "read next", "also read", "see also", "see more", "related:",
        "related stories", "related articles", "related coverage", "more:", "more from",
        "don't miss", "don’t miss", "watch:", "watch now", "listen:", "sign up", "subscribe",
        "advertisement", "click here", "follow us", "share this", "share on", "recommended",
        "you may also like", "you might also like", "trending", "most popular", "most read",
        "leia também", "leia mais", "veja também", "saiba mais", "confira também",
        "читайте также", "смотрите также", "читайте нас", "подписывайтесь", "реклама",
        "baca juga", "lihat juga", "simak juga", "leggi anche", "potrebbe interessarti",
        "lesen sie auch", "mehr zum thema", "auch interessant", "anzeige", "weiterlesen",
        "관련기사", "관련 기사", "함께 보면", "많이 본", "광고", "関連記事", "あわせて読みたい",
        "こちらもおすすめ", "広告", "lea también", "le puede interesar", "lire aussi",
        "à lire aussi", "voir aussi", "publicité",
    ]

    /// Whether `bytes` are ASCII other than CR, or general punctuation (E2 80 xx, the last one
    /// perhaps cut off), so that lower-casing ASCII bytes lower-cases the text.
    private static func isCaselessBeyondASCII(_ bytes: Substring.UTF8View) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x0D { return false }
                index = bytes.index(after: index)
                continue
            }
            guard byte == 0xE2 else { return false }
            let second = bytes.index(after: index)
            if second == bytes.endIndex { return true }
            guard bytes[second] == 0x80 else { return false }
            let third = bytes.index(after: second)
            if third == bytes.endIndex { return true }
            // U+2010–U+2027 and U+2030–U+203F: dashes, quotes, bullets, ellipsis, primes —
            // no case, and none joins the character before it (unlike U+200C/U+200D).
            guard (0x90...0xA7).contains(bytes[third]) || (0xB0...0xBF).contains(bytes[third]) else { return false }
            index = bytes.index(after: third)
        }
        return true
    }

    /// The UTF-8 bytes of `promoPrefixes`, by their first byte (for ASCII text).
    private static let promoPrefixesByFirstByte: [[[UInt8]]] = {
        var table = Array(repeating: [[UInt8]](), count: 256)
        for cue in promoPrefixes {
            let bytes = Array(cue.utf8)
            table[Int(bytes[0])].append(bytes)
        }
        return table
    }()

    private func trimTop(_ blocks: [TextBlock]) -> [TextBlock] {
        var start = 0
        while start < blocks.count {
            let block = blocks[start]
            let dek = block.inHeader || block.isHeading || block.hints.contains(.headline)
                || block.hints.contains(.byline)
            if block.isHeading || isTitle(block.text) || (dek && isDescription(block.text))
                || Self.isBylineLine(block)
                || (block.inHeader && block.length < 200)
            {
                start += 1
                continue
            }
            break
        }
        return Array(blocks[start...])
    }

    private func trimBottom(_ blocks: [TextBlock]) -> [TextBlock] {
        var end = blocks.count
        while end > 0 {
            let block = blocks[end - 1]
            if Self.isBylineLine(block) && block.length < 60 && end < blocks.count {
                end -= 1
                continue
            }
            let lowered = block.text.lowercased()
            if block.isHeading || lowered.hasPrefix("©") || lowered.hasPrefix("copyright")
                || lowered.hasPrefix("all rights reserved") || lowered.hasPrefix("citation:")
                || (block.length < 40 && block.text.hasSuffix(":"))
            {
                end -= 1
                continue
            }
            break
        }
        return Array(blocks[..<end])
    }

    /// Drops a block over 50 characters that repeats the block kept just before it, or that
    /// repeats an earlier one when the article is mostly repeats (a copied body).
    private func dedupe(_ blocks: [TextBlock]) -> [TextBlock] {
        var kept: [TextBlock] = []
        for block in blocks {
            if block.text.utf8.count > 50, let last = kept.last, last.text == block.text { continue }
            kept.append(block)
        }
        return kept
    }

    private func isTitle(_ text: String) -> Bool {
        guard !title.isEmpty, text.utf8.count < title.utf8.count * 2 + 20 else { return false }
        return Self.normalized(text) == title
    }

    private func isDescription(_ text: String) -> Bool {
        guard description.count > 20, text.utf8.count < description.utf8.count * 2 + 20 else { return false }
        return Self.normalized(text) == description
    }

    /// Lower-cased letters and digits only.
    static func normalized(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {
                let value = scalar.value
                if (value >= 0x61 && value <= 0x7A) || (value >= 0x30 && value <= 0x39) { out.append(scalar) }
            } else if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// "By Jane Doe", a date line or "Published …" line at the top of the article.
    static func isBylineLine(_ block: TextBlock) -> Bool {
        guard block.length < 120 else { return false }
        if block.hints.contains(.byline) || block.hints.contains(.headline) { return true }
        let lowered = block.text.lowercased()
        for cue in ["by ", "por ", "von ", "oleh ", "di ", "par ", "автор", "published", "updated", "posted", "기자", "記者"]
        where lowered.hasPrefix(cue) {
            return true
        }
        return false
    }
}
