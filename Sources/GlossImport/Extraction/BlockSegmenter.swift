/// Splits the chosen container(s) into `TextBlock`s and serialises them like html-text
/// (zytedata/html-text): whitespace collapsed, a space at every inline boundary unless the next
/// text starts with `, : ; . ! ? " )` or the previous one ends with `(`; CJK text gets the same
/// spaces (so words split at links, as a browser's text does). Sanitized HTML is built in the
/// same walk from an allow-list of inline tags (see `HTMLSanitizer`).
struct BlockSegmenter {
    let analysis: PageAnalysis
    let sanitizer: HTMLSanitizer

    private struct Open {
        var node: Int
        var end: Int
        var isBlock: Bool
        var close: String?
        var reopen: String?
    }

    private struct Builder {
        var text = ""
        var html = ""
        var owner = -1
        var length = 0
        var linkLength = 0
        var hints: ClassHints = []
        var inHeader = false
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
        var current = Builder()
        var index = container
        let stop = Int(tree.end[container])

        func flush() {
            if current.hasText {
                var html = current.html
                for open in stack.reversed() where !open.isBlock {
                    if let close = open.close { html += close }
                }
                var block = TextBlock(
                    kind: kind(of: current.owner, stack: stack), text: current.text,
                    html: html, owner: current.owner, length: current.length,
                    linkLength: current.linkLength, hints: current.hints,
                    inHeader: current.inHeader)
                if case .listItem = block.kind { block.list = Int(analysis.tree.parent[current.owner]) }
                blocks.append(block)
            }
            current = Builder()
            // Inline elements still open continue into the next block.
            for open in stack where !open.isBlock {
                if let reopen = open.reopen { current.html += reopen }
            }
        }

        while index < stop {
            while let last = stack.last, index >= last.end {
                stack.removeLast()
                if last.isBlock {
                    flush()
                } else if let close = last.close {
                    if let reopen = last.reopen, current.html.hasSuffix(reopen) {
                        current.html.removeLast(reopen.count)
                    } else {
                        current.html += close
                    }
                }
            }
            if analysis.removed[index] {
                index = Int(tree.end[index])
                continue
            }
            if tree.kind[index] == .text {
                appendText(index, stack: stack, to: &current)
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
                    current.html += "<br>"
                }
                index = end
                continue
            }
            if tag == .img {
                if current.hasText, let image = sanitizer.image(tree, index) { current.html += image }
                index = end
                continue
            }
            if tag.isBlock || index == container {
                flush()
                stack.append(Open(node: index, end: end, isBlock: true))
            } else {
                let tags = sanitizer.inlineTags(tree, index)
                if let open = tags?.open { current.html += open }
                stack.append(
                    Open(node: index, end: end, isBlock: false, close: tags?.close, reopen: tags?.open))
            }
            index += 1
        }
        while let last = stack.popLast() {
            if !last.isBlock, let close = last.close, current.hasText { current.html += close }
        }
        flush()
    }

    private func kind(of owner: Int, stack: [Open]) -> TextBlock.Kind {
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
            var node = owner
            while node >= 0 {
                if tree.tag[node] == .blockquote { return .quote }
                if tree.tag[node] == .pre { return .preformatted }
                node = Int(tree.parent[node])
            }
            return .paragraph
        }
    }

    private func appendText(_ node: Int, stack: [Open], to block: inout Builder) {
        let tree = analysis.tree
        let preformatted = stack.contains { analysis.tree.tag[$0.node] == .pre }
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
            for open in stack {
                block.hints.formUnion(analysis.hints[open.node])
                let tag = tree.tag[open.node]
                if tag == .header || tag == .h1 { block.inHeader = true }
            }
        }
        if block.newline {
            block.text += "\n"
            block.newline = false
        } else if block.hasText && !preformatted && Self.needsSpace(before: chunk, after: block.lastChunk) {
            block.text += " "
            block.html += " "
        }
        block.text += chunk
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

    /// Collapses whitespace runs (including no-break spaces) to one space and trims.
    static func collapse(_ raw: String) -> String { collapse(utf8: raw.utf8) }

    static func collapse<Bytes: Collection>(utf8 raw: Bytes) -> String where Bytes.Element == UInt8 {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var pending = false
        var sawOther = false
        var iterator = raw.makeIterator()
        var lookahead: UInt8? = nil
        while let byte = lookahead ?? iterator.next() {
            lookahead = nil
            if byte < 0x80 {
                if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pending = !bytes.isEmpty
                    continue
                }
            } else {
                sawOther = true
                if byte == 0xC2 {
                    let next = iterator.next()
                    if next == 0xA0 {
                        pending = !bytes.isEmpty
                        continue
                    }
                    if pending {
                        bytes.append(0x20)
                        pending = false
                    }
                    bytes.append(byte)
                    lookahead = next
                    continue
                }
            }
            if pending {
                bytes.append(0x20)
                pending = false
            }
            bytes.append(byte)
        }
        let collapsed = String(decoding: bytes, as: UTF8.self)
        guard sawOther else { return collapsed }
        // Rare Unicode spaces (U+2000…, U+3000, line separators).
        guard collapsed.unicodeScalars.contains(where: { $0.value > 0x7F && $0.properties.isWhitespace }) else {
            return collapsed
        }
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
