import Foundation

/// The extraction pipeline over one parsed page (docs/EXTRACTION.md):
/// metadata walk → per-node analysis and removal → container choice → segmentation into
/// blocks → block filters and trimming → fallback when under 250 characters → text and
/// sanitized HTML.
struct ArticleExtraction {
    let tree: HTMLTree
    let url: URL?

    /// Below this many characters the result is thin and a fallback is tried.
    static let fallbackThreshold = 250

    func article() -> ExtractedArticle {
        let metadata = PageMetadata(tree: tree)
        let analysis = PageAnalysis(tree: tree)
        let resolver = MetadataResolver(metadata: metadata, tree: tree, url: url)
        let canonical = resolver.canonicalURL()
        var base = url ?? canonical.flatMap(URL.init(string:))
        if let href = metadata.baseHref, let resolved = URL(string: href, relativeTo: base)?.absoluteURL {
            base = resolved
        }
        let sanitizer = HTMLSanitizer(base: base)
        let siteName = resolver.siteName()
        let title = resolver.title(siteName: siteName)

        var chooser = ContainerChooser(analysis: analysis)
        let choice = chooser.choose()
        let segmenter = BlockSegmenter(analysis: analysis, sanitizer: sanitizer)
        let filter = BlockFilter(
            title: title, description: metadata.meta["og:description"] ?? metadata.meta["description"])
        let allBlocks = segmenter.blocks(in: choice.nodes)
        var blocks = filter.filter(allBlocks)
        if Self.characters(blocks) < Self.fallbackThreshold {
            blocks = fallback(primary: blocks, analysis: analysis, segmenter: segmenter, filter: filter, resolver: resolver)
        }

        let text = blocks.map(\.text).joined(separator: "\n\n")
        let topText = allBlocks.prefix(8).map(\.text)
        return ExtractedArticle(
            url: url?.absoluteString,
            canonicalURL: canonical,
            title: title,
            byline: resolver.byline(container: choice.nodes.isEmpty ? nil : choice.top, analysis: analysis),
            siteName: siteName,
            published: resolver.published(
                container: choice.nodes.isEmpty ? nil : choice.top, analysis: analysis, topText: Array(topText)),
            language: resolver.language(),
            excerpt: resolver.excerpt(firstParagraph: blocks.first(where: { $0.kind == .paragraph })?.text),
            leadImageURL: resolver.leadImage(sanitizer: sanitizer),
            contentHTML: sanitizer.document(blocks, tree: tree),
            text: text,
            wordCount: Self.wordCount(text))
    }

    /// Characters of the blocks' text (ASCII without CR counted by its bytes).
    static func characters(_ blocks: [TextBlock]) -> Int {
        blocks.reduce(0) { total, block in
            var text = block.text
            let simple = text.withUTF8 { $0.allSatisfy { $0 < 0x80 && $0 != 0x0D } }
            return total + (simple ? text.utf8.count : text.count)
        }
    }

    /// Under 250 characters: JSON-LD `articleBody`, else every prose paragraph of the page — a
    /// candidate is taken only when it is longer and holds at least 80% of the primary's
    /// 4-word shingles (being longer is not enough).
    private func fallback(
        primary: [TextBlock], analysis: PageAnalysis, segmenter: BlockSegmenter, filter: BlockFilter,
        resolver: MetadataResolver
    ) -> [TextBlock] {
        let primaryLength = Self.characters(primary)
        let primaryShingles = Self.shingles(primary.map(\.text).joined(separator: " "))
        func covers(_ text: String) -> Bool {
            guard !primaryShingles.isEmpty else { return true }
            let candidate = Self.shingles(text)
            return Double(primaryShingles.filter(candidate.contains).count) >= 0.8 * Double(primaryShingles.count)
        }
        if let body = resolver.articleBody(), body.count > primaryLength, !body.contains("<"), covers(body) {
            let paragraphs = body.split(whereSeparator: \.isNewline).map {
                BlockSegmenter.collapse(String($0))
            }.filter { !$0.isEmpty }
            return paragraphs.map {
                TextBlock(
                    kind: .paragraph, text: $0, html: segmenter.sanitizer.escape($0), owner: -1,
                    length: $0.count, linkLength: 0, hints: [], inHeader: false)
            }
        }
        let root = tree.first(.body) ?? 0
        guard root < tree.count else { return primary }
        let wild = filter.filter(
            segmenter.blocks(in: [root]).filter {
                $0.owner >= 0 && tree.tag[$0.owner] == .p && $0.linkDensity < 0.3 && $0.length >= 40
            })
        guard Self.characters(wild) > primaryLength, covers(wild.map(\.text).joined(separator: " ")) else {
            return primary
        }
        return wild
    }

    /// Sets of four consecutive words (letters and digits), lower-cased.
    static func shingles(_ text: String) -> Set<String> {
        let words = text.lowercased().split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        guard words.count >= 4 else { return words.isEmpty ? [] : [words.joined(separator: " ")] }
        var result: Set<String> = []
        for start in 0...(words.count - 4) { result.insert(words[start..<start + 4].joined(separator: " ")) }
        return result
    }

    /// The ASCII characters that are alphabetic or digits.
    private static func isASCIILetterOrDigit(_ value: UInt32) -> Bool {
        (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39)
    }

    /// Whitespace-separated words holding a letter or digit, plus one per CJK character
    /// (kana and ideographs, which are written without spaces).
    static func wordCount(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { bytes in
            var count = 0
            var inWord = false
            var index = 0
            while index < bytes.count {
                let lead = bytes[index]
                if lead < 0x80 {
                    // ASCII (never CJK).
                    if lead == 0x20 || lead == 0x0A || lead == 0x09 || lead == 0x0D {
                        inWord = false
                    } else if !inWord, Self.isASCIILetterOrDigit(UInt32(lead)) {
                        count += 1
                        inWord = true
                    }
                    index += 1
                    continue
                }
                // Decode one scalar (the bytes are valid UTF-8: they come from a String).
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                var value = UInt32(lead) & (lead >= 0xF0 ? 0x07 : lead >= 0xE0 ? 0x0F : 0x1F)
                for offset in 1..<min(length, bytes.count - index) {
                    value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
                }
                index += length
                if (0x3040...0x30FF).contains(value) || (0x3400...0x9FFF).contains(value) {
                    count += 1
                    inWord = false
                } else if value == 0xA0 {
                    inWord = false
                } else if !inWord, Self.isLetterOrNumber(value) {
                    count += 1
                    inWord = true
                }
            }
            return count
        }
    }

    private static func isLetterOrNumber(_ value: UInt32) -> Bool {
        // General punctuation (’ “ — …): never a letter or number.
        if value >= 0x2000 && value <= 0x206F { return false }
        guard let scalar = Unicode.Scalar(value) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
