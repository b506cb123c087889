/// Splits the chosen container(s) into `TextBlock`s and serialises them like html-text
/// (zytedata/html-text): whitespace collapsed, a space at every inline boundary unless the next
/// text starts with `, : ; . ! ? " )` or the previous one ends with `(`; CJK text gets the same
/// spaces (so words split at links, as a browser's text does). Sanitized HTML is built in the
/// same walk from an allow-list of inline tags (see `HTMLSanitizer`).
struct BlockSegmenter {
    let analysis: PageAnalysis
    let sanitizer: HTMLSanitizer

    /// An element being walked, with what it and its ancestors (inside the container) say.
    private struct Open {
        var node: Int
        var end: Int
        var isBlock: Bool
        /// An inline element whose tags were written (it is on the inline stack).
        var wroteTags = false
        var hints: ClassHints = []
        var inHeader = false
        var inPre = false
        var inQuote = false
    }

    /// Inline formatting nests at most this deep in the HTML (deeper tags keep their text).
    static let maximumInlineDepth = 16

    private struct Builder {
        var text = ""
        var html = ""
        var owner = -1
        var length = 0
        var linkLength = 0
        var hints: ClassHints = []
        var inHeader = false
        var inPre = false
        var inQuote = false
        /// Open tags written only once text follows (so a separating space stays outside them).
        var pendingTags = ""
        var lastChunk: Substring = ""
        var newline = false
        var breaks = 0
        var hasText: Bool { !text.isEmpty }
    }

    func blocks(in containers: [Int]) -> [TextBlock] {
        var blocks: [TextBlock] = []
        for container in containers { segment(container, into: &blocks) }
        return blocks
    }

    private func segment(_ container: Int, into blocks: inout [TextBlock]) {
        let tree = analysis.tree
        var stack: [Open] = []
        var inline: [(open: String, close: String)] = []
        var current = Builder()
        var index = container
        let stop = Int(tree.end[container])

        func flush() {
            if current.hasText {
                var html = current.html
                for tags in inline.reversed() { html += tags.close }
                var block = TextBlock(
                    kind: kind(of: current.owner, inPre: current.inPre, inQuote: current.inQuote),
                    text: current.text, html: html, owner: current.owner, length: current.length,
                    linkLength: current.linkLength, hints: current.hints,
                    inHeader: current.inHeader)
                if case .listItem = block.kind { block.list = Int(analysis.tree.parent[current.owner]) }
                blocks.append(block)
            }
            current = Builder()
            // Inline elements still open continue into the next block.
            for tags in inline { current.pendingTags += tags.open }
        }

        while index < stop {
            while let last = stack.last, index >= last.end {
                stack.removeLast()
                if last.isBlock {
                    flush()
                } else if last.wroteTags, let tags = inline.popLast() {
                    if current.pendingTags.hasSuffix(tags.open) {
                        current.pendingTags.removeLast(tags.open.count)
                    } else {
                        current.html += current.pendingTags + tags.close
                        current.pendingTags = ""
                    }
                }
            }
            if analysis.removed[index] {
                index = Int(tree.end[index])
                continue
            }
            if tree.kind[index] == .text {
                appendText(index, state: stack.last, to: &current)
                index += 1
                continue
            }
            let tag = tree.tag[index]
            let end = Int(tree.end[index])
            if tag == .br {
                current.breaks += 1
                if current.breaks >= 2 {
                    flush()
                } else if current.hasText {
                    current.newline = true
                    current.html += current.pendingTags + "<br>"
                    current.pendingTags = ""
                }
                index = end
                continue
            }
            if tag == .img {
                if current.hasText, let image = sanitizer.image(tree, index) {
                    current.html += current.pendingTags + image
                    current.pendingTags = ""
                }
                index = end
                continue
            }
            var open = Open(node: index, end: end, isBlock: tag.isBlock || index == container)
            let parent = stack.last
            open.hints = (parent?.hints ?? []).union(analysis.hints[index])
            open.inHeader = (parent?.inHeader ?? false) || tag == .header || tag == .h1
            open.inPre = (parent?.inPre ?? false) || tag == .pre
            open.inQuote = (parent?.inQuote ?? false) || tag == .blockquote
            if open.isBlock {
                flush()
            } else if inline.count < Self.maximumInlineDepth, let tags = sanitizer.inlineTags(tree, index) {
                current.pendingTags += tags.open
                inline.append(tags)
                open.wroteTags = true
            }
            stack.append(open)
            index += 1
        }
        while let last = stack.popLast() {
            if last.wroteTags, let tags = inline.popLast(), current.hasText { current.html += tags.close }
        }
        inline.removeAll()
        flush()
    }

    private func kind(of owner: Int, inPre: Bool, inQuote: Bool) -> TextBlock.Kind {
        let tree = analysis.tree
        guard owner >= 0 else { return .paragraph }
        switch tree.tag[owner] {
        case .h1: return .heading(2)
        case .h2: return .heading(2)
        case .h3: return .heading(3)
        case .h4: return .heading(4)
        case .h5: return .heading(5)
        case .h6: return .heading(6)
        case .li:
            let parent = Int(tree.parent[owner])
            return .listItem(ordered: parent >= 0 && tree.tag[parent] == .ol)
        case .pre: return .preformatted
        default:
            if inPre { return .preformatted }
            if inQuote { return .quote }
            return .paragraph
        }
    }

    private func appendText(_ node: Int, state: Open?, to block: inout Builder) {
        let tree = analysis.tree
        let preformatted = state?.inPre ?? false
        let chunk: Substring
        if preformatted {
            let raw = tree.text(node)
            chunk = Substring(raw)
            if raw.allSatisfy(\.isWhitespace) && !block.hasText { return }
        } else {
            let lower = Int(tree.start[node])
            chunk = Substring(Self.collapse(utf8: tree.bytes[lower..<lower + Int(tree.length[node])]))
            if chunk.isEmpty { return }
        }
        block.breaks = 0
        if !block.hasText {
            block.owner = Int(analysis.blockOwner[node])
            block.hints = state?.hints ?? []
            block.inHeader = state?.inHeader ?? false
            block.inPre = preformatted
            block.inQuote = state?.inQuote ?? false
        }
        if block.newline {
            block.text += "\n"
            block.newline = false
        } else if block.hasText && !preformatted && Self.needsSpace(before: chunk, after: block.lastChunk) {
            block.text += " "
            block.html += " "
        }
        block.text += chunk
        block.html += block.pendingTags
        block.pendingTags = ""
        block.html += sanitizer.escape(String(chunk))
        block.lastChunk = chunk
        block.length += Int(analysis.textLength[node])
        block.linkLength += Int(analysis.linkLength[node])
    }

    /// html-text's rule for a space between two chunks of inline text.
    static func needsSpace(before next: Substring, after previous: Substring) -> Bool {
        if let first = next.first, ",:;.!?\")".contains(first) { return false }
        if previous.last == "(" { return false }
        return true
    }

    /// Whether text needs no collapsing: printable ASCII (or non-ASCII without Unicode spaces)
    /// with single spaces inside and none at either end — most text nodes of a page.
    private static func isCollapsed(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return false }
        var previousSpace = false
        var sawOther = false
        for byte in bytes {
            if byte == 0x20 {
                if previousSpace { return false }
                previousSpace = true
                continue
            }
            previousSpace = false
            if byte < 0x20 || byte == 0x7F { return false }
            if byte >= 0x80 {
                if byte == 0xC2 || byte == 0xE1 || byte == 0xE2 || byte == 0xE3 { sawOther = true }
            }
        }
        // A lead byte of a possible no-break or Unicode space: take the careful path.
        return !sawOther
    }

    /// Whether UTF-8 `bytes` hold a White_Space character above U+00A0: U+0085, U+1680,
    /// U+2000–U+200A, U+2028, U+2029, U+202F, U+205F or U+3000 (checked on bytes: asking each
    /// scalar's Unicode properties is much slower on CJK and Cyrillic text).
    static func hasUnicodeSpace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 0xC2 || byte > 0xE3 {
                index += 1
                continue
            }
            let second = index + 1 < count ? bytes[index + 1] : 0
            let third = index + 2 < count ? bytes[index + 2] : 0
            switch byte {
            case 0xC2: if second == 0x85 { return true }
            case 0xE1: if second == 0x9A && third == 0x80 { return true }
            case 0xE2:
                if second == 0x80 && ((0x80...0x8A).contains(third) || third == 0xA8 || third == 0xA9 || third == 0xAF) {
                    return true
                }
                if second == 0x81 && third == 0x9F { return true }
            case 0xE3: if second == 0x80 && third == 0x80 { return true }
            default: break
            }
            index += 1
        }
        return false
    }

    /// Collapses whitespace runs (including no-break spaces) to one space and trims.
    static func collapse(_ raw: String) -> String { collapse(utf8: raw.utf8) }

    static func collapse<Bytes: Collection>(utf8 raw: Bytes) -> String where Bytes.Element == UInt8 {
        if let collapsed = raw.withContiguousStorageIfAvailable({ collapse(bytes: $0) }) { return collapsed }
        return Array(raw).withUnsafeBufferPointer { collapse(bytes: $0) }
    }

    private static func collapse(bytes raw: UnsafeBufferPointer<UInt8>) -> String {
        if isCollapsed(raw) { return String(decoding: raw, as: UTF8.self) }
        var sawOther = false
        var collapsed = String(unsafeUninitializedCapacity: raw.count) { out in
            var count = 0
            var pending = false
            var index = 0
            while index < raw.count {
                let byte = raw[index]
                if byte < 0x80 {
                    if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                        pending = count > 0
                        index += 1
                        continue
                    }
                } else {
                    sawOther = true
                    if byte == 0xC2 && index + 1 < raw.count && raw[index + 1] == 0xA0 {
                        pending = count > 0
                        index += 2
                        continue
                    }
                }
                if pending {
                    out[count] = 0x20
                    count += 1
                    pending = false
                }
                out[count] = byte
                count += 1
                index += 1
            }
            return count
        }
        // Rare Unicode spaces (U+2000…, U+3000, line separators).
        guard sawOther, collapsed.withUTF8({ hasUnicodeSpace($0) }) else { return collapsed }
        var out = ""
        var space = false
        for scalar in collapsed.unicodeScalars {
            if scalar.properties.isWhitespace {
                space = !out.isEmpty
            } else {
                if space {
                    out.unicodeScalars.append(" ")
                    space = false
                }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
