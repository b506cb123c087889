/// Per-node facts about a page, computed in linear passes over an `HTMLTree`: raw text sums
/// (post-order), removal with class/id hints (pre-order, jumping over removed subtrees), then
/// text, link and comma counts of what is kept (post-order). Text nodes arrive measured
/// (`HTMLTree.textWeight`). No per-node regex, XPath or string allocation.
struct PageAnalysis {
    let tree: HTMLTree
    /// Class/id hints of each element (empty for text and inside removed subtrees).
    var hints: [ClassHints]
    /// Removed with its whole subtree (script, nav, hidden, boilerplate…).
    var removed: [Bool]
    /// Inside an `<a>`.
    var inLink: [Bool]
    /// Weighted text length of the kept subtree: a whitespace run counts 1, a CJK character 2
    /// (it carries about a word), anything else 1.
    var textLength: [Int32]
    /// The part of `textLength` inside links.
    var linkLength: [Int32]
    /// Commas (Latin, CJK and Arabic) in the kept subtree.
    var commas: [Int32]
    /// Text directly in this block element, not inside a nested block element.
    var directLength: [Int32]
    var directLinkLength: [Int32]
    var directCommas: [Int32]
    /// Nearest block-level element at or above each node.
    var blockOwner: [Int32]
    /// Number of `<p>` elements in the kept subtree.
    var paragraphs: [Int32]
    /// Text and link lengths before removal (for removal decisions).
    private var rawAll: [Int32] = []
    private var rawLinks: [Int32] = []

    init(tree: HTMLTree) {
        self.tree = tree
        let count = tree.count
        hints = Array(repeating: [], count: count)
        removed = Array(repeating: false, count: count)
        inLink = Array(repeating: false, count: count)
        linkLength = Array(repeating: 0, count: count)
        directLength = Array(repeating: 0, count: count)
        directLinkLength = Array(repeating: 0, count: count)
        directCommas = Array(repeating: 0, count: count)
        blockOwner = Array(repeating: -1, count: count)
        paragraphs = Array(repeating: 0, count: count)
        // Text nodes start with their own measure (taken while the tree was copied).
        textLength = tree.textWeight
        commas = tree.textCommas
        let rawLength = measureRawText()
        markRemoved(rawLength: rawLength)
        measureKeptText()
    }

    // MARK: Hints

    /// Class/id hints of one element, from its first `class` and first `id`. Values repeat a
    /// lot (`post-123`, `post-456`, the same `row col-md-8` on every item), so each is
    /// classified once (`ClassHints.Cache`).
    private func classHints(_ node: Int, cache: inout ClassHints.Cache) -> ClassHints {
        let count = Int(tree.length[node])
        guard count > 0 else { return [] }
        var found: ClassHints = []
        var seenClass = false
        var seenID = false
        let first = Int(tree.start[node])
        tree.bytes.withUnsafeBufferPointer { bytes in
            for index in first..<first + count {
                let attribute = tree.attributes[index]
                if attribute.key == .class && !seenClass {
                    seenClass = true
                } else if attribute.key == .id && !seenID {
                    seenID = true
                } else {
                    continue
                }
                let lower = Int(attribute.start)
                found.formUnion(cache.hints(UnsafeBufferPointer(rebasing: bytes[lower..<lower + Int(attribute.length)])))
            }
        }
        return found
    }

    // MARK: Removal

    /// Raw (before removal) length of text inside `<p>` per subtree, to veto removing the
    /// part of the page that holds most of its prose. Also sets `rawAll` and `rawLinks`.
    private mutating func measureRawText() -> [Int32] {
        let count = tree.count
        var raw = [Int32](repeating: 0, count: count)
        var rawAll = [Int32](repeating: 0, count: count)
        var rawLinks = [Int32](repeating: 0, count: count)
        // Bit 0: inside a `<p>`; bit 1: inside an `<a>`.
        var inside = [UInt8](repeating: 0, count: count)
        for node in 0..<count {
            let parent = Int(tree.parent[node])
            var flags: UInt8 = parent >= 0 ? inside[parent] : 0
            if tree.kind[node] == .element {
                if tree.tag[node] == .p { flags |= 1 } else if tree.tag[node] == .a { flags |= 2 }
            }
            inside[node] = flags
        }
        for node in stride(from: count - 1, through: 0, by: -1) {
            if tree.kind[node] == .text {
                let length = tree.textWeight[node]
                rawAll[node] = length
                if inside[node] & 2 != 0 { rawLinks[node] = length }
                if inside[node] & 1 != 0 { raw[node] = length }
            }
            let parent = Int(tree.parent[node])
            if parent >= 0 {
                raw[parent] += raw[node]
                rawAll[parent] += rawAll[node]
                rawLinks[parent] += rawLinks[node]
            }
        }
        self.rawAll = rawAll
        self.rawLinks = rawLinks
        return raw
    }

    /// Pre-order: decides removal for every element outside removed subtrees (whose nodes are
    /// all marked removed and skipped), computing class hints on the way — hints are read only
    /// for those elements, so the menus, footers and share bars that go are never classified.
    private mutating func markRemoved(rawLength: [Int32]) {
        var total = 1
        for node in 0..<tree.count where tree.parent[node] < 0 { total += Int(rawLength[node]) }
        var cache = ClassHints.Cache()
        var node = 0
        while node < tree.count {
            let parent = Int(tree.parent[node])
            if parent >= 0 { inLink[node] = inLink[parent] }
            guard tree.kind[node] == .element else {
                node += 1
                continue
            }
            if tree.tag[node] == .a { inLink[node] = true }
            hints[node] = classHints(node, cache: &cache)
            if isRemoved(node, share: Double(rawLength[node]) / Double(total)) {
                let end = Int(tree.end[node])
                removed.withUnsafeMutableBufferPointer { removed in
                    for index in node..<end { removed[index] = true }
                }
                node = end
            } else {
                node += 1
            }
        }
    }

    private func isRemoved(_ node: Int, share: Double) -> Bool {
        switch tree.tag[node] {
        case .script, .style, .noscript, .template, .iframe, .object, .embed, .svg, .math,
            .canvas, .video, .audio, .map, .input, .button, .select, .textarea, .option, .nav,
            .aside, .footer, .figcaption, .dialog, .head, .title, .meta, .link, .base, .menu,
            .label, .fieldset:
            // A page that wraps its whole text in one of these keeps it.
            return share < 0.5 || tree.tag[node] == .script || tree.tag[node] == .style
                || tree.tag[node] == .head
        case .html, .body:
            return false
        default:
            break
        }
        if isInlineCard(node) { return true }
        // Elements without any attribute the extractor reads have nothing more to check.
        if tree.length[node] == 0 { return false }
        if isHidden(node) { return true }
        let flags = hints[node]
        if flags.contains(.embed) { return false }
        if let role = tree.attributeRange(.role, node) {
            let value = String(decoding: tree.bytes[role], as: UTF8.self).lowercased()
            if ["navigation", "complementary", "banner", "contentinfo", "dialog", "alert", "menu",
                "menubar", "search"].contains(value), share < 0.5
            {
                return true
            }
        }
        if flags.contains(.caption) && !flags.contains(.articleBody) && share < 0.3 { return true }
        if flags.contains(.boilerplate) && !flags.contains(.articleBody)
            && !isItemPropBody(node) && share < 0.3
        {
            switch tree.tag[node] {
            case .main, .article, .p: return false
            default: return true
            }
        }
        return false
    }

    /// A block of links inside a paragraph, reached through inline elements only: an inline
    /// card (a person or topic box that pops up mid-sentence), not part of the sentence.
    private func isInlineCard(_ node: Int) -> Bool {
        switch tree.tag[node] {
        case .div, .ul, .ol, .table, .section, .figure, .aside, .dl: break
        default: return false
        }
        guard rawAll[node] > 0, Double(rawLinks[node]) > 0.3 * Double(rawAll[node]) else { return false }
        var ancestor = Int(tree.parent[node])
        var levels = 0
        while ancestor >= 0 && levels < 6 {
            let tag = tree.tag[ancestor]
            if tag == .p { return true }
            if tag.isBlock { return false }
            ancestor = Int(tree.parent[ancestor])
            levels += 1
        }
        return false
    }

    func isItemPropBody(_ node: Int) -> Bool {
        tree.attribute(.itemprop, node, contains: "articlebody")
    }

    private func isHidden(_ node: Int) -> Bool {
        if tree.hasAttribute(.hidden, node) { return true }
        if hints[node].contains(.hidden) { return true }
        if let range = tree.attributeRange(.ariaHidden, node),
            String(decoding: tree.bytes[range], as: UTF8.self).lowercased() == "true"
        {
            return true
        }
        if let range = tree.attributeRange(.style, node), range.count < 2048,
            tree.attribute(.style, node, contains: "display:none", ignoringSpaces: true)
                || tree.attribute(.style, node, contains: "visibility:hidden", ignoringSpaces: true)
        {
            return true
        }
        return false
    }

    // MARK: Text statistics

    private mutating func measureKeptText() {
        let count = tree.count
        // Pre-order: the nearest block element of each node.
        var blockOwner = self.blockOwner
        for node in 0..<count where !removed[node] {
            let parent = Int(tree.parent[node])
            if tree.kind[node] == .element && (tree.tag[node].isBlock || parent < 0) {
                blockOwner[node] = Int32(node)
            } else {
                blockOwner[node] = parent >= 0 ? blockOwner[parent] : Int32(node)
            }
        }
        // Post-order sums, in local arrays (the loop then needs no uniqueness checks).
        var textLength = self.textLength
        var linkLength = self.linkLength
        var commas = self.commas
        var paragraphs = self.paragraphs
        var directLength = self.directLength
        var directLinkLength = self.directLinkLength
        var directCommas = self.directCommas
        (self.textLength, self.linkLength, self.commas, self.paragraphs) = ([], [], [], [])
        (self.directLength, self.directLinkLength, self.directCommas) = ([], [], [])
        for node in stride(from: count - 1, through: 0, by: -1) where !removed[node] {
            if tree.kind[node] == .text {
                // textLength and commas of text nodes were measured with the tree.
                let length = textLength[node]
                if inLink[node] { linkLength[node] = length }
                let owner = Int(blockOwner[node])
                if owner >= 0 {
                    directLength[owner] += length
                    directCommas[owner] += commas[node]
                    if inLink[node] { directLinkLength[owner] += length }
                }
            } else if tree.tag[node] == .p {
                paragraphs[node] += 1
            }
            let parent = Int(tree.parent[node])
            if parent >= 0 {
                textLength[parent] += textLength[node]
                linkLength[parent] += linkLength[node]
                commas[parent] += commas[node]
                paragraphs[parent] += paragraphs[node]
            }
        }
        self.blockOwner = blockOwner
        (self.textLength, self.linkLength, self.commas, self.paragraphs) = (textLength, linkLength, commas, paragraphs)
        (self.directLength, self.directLinkLength, self.directCommas) = (directLength, directLinkLength, directCommas)
    }

    /// Share of the subtree's text inside links.
    func linkDensity(_ node: Int) -> Double {
        let length = textLength[node]
        return length > 0 ? Double(linkLength[node]) / Double(length) : 0
    }
}
