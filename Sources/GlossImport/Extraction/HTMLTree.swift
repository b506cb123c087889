/// A parsed page as flat arrays in document order (pre-order), made once by `HTMLDocument`.
///
/// Node `i`'s subtree is the index range `i ..< end[i]`, so a post-order pass is a reverse loop
/// and no walk needs recursion or a stack: 100,000-deep nesting costs nothing extra. Text and
/// the attribute values the extractor reads live in one byte buffer; `String`s are made only
/// for what ends up in the article.
struct HTMLTree: Sendable {
    enum Kind: UInt8, Sendable { case element, text }

    /// Attributes the extractor reads; others are not kept.
    enum AttributeKey: UInt8, Sendable {
        case `class`, id, style, hidden, ariaHidden, itemprop, itemtype, role, href, src, dataSrc
        case alt, content, name, property, rel, type, datetime, lang, httpEquiv
    }

    struct Attribute: Sendable {
        var key: AttributeKey
        var start: Int32
        var length: Int32
    }

    var kind: [Kind] = []
    var tag: [HTMLTag] = []
    var parent: [Int32] = []
    /// One past the last node of the subtree.
    var end: [Int32] = []
    /// Text nodes: byte range of their text. Elements: range of their attributes.
    var start: [Int32] = []
    var length: [Int32] = []
    /// Text nodes: weighted length and commas of their text (`TextMeasure`), taken while the
    /// tree is copied; 0 for elements.
    var textWeight: [Int32] = []
    var textCommas: [Int32] = []
    var attributes: [Attribute] = []
    /// Elements the metadata walk reads (`meta`, `link`, `base`, `title`, `html`, `script`,
    /// `time`, `h1`, and any element with `itemprop`), in document order.
    var metadataNodes: [Int32] = []
    var bytes: [UInt8] = []

    var count: Int { kind.count }

    /// The children of `node`, in order.
    func children(of node: Int) -> ChildSequence { ChildSequence(tree: self, node: node) }

    struct ChildSequence: Sequence, IteratorProtocol {
        let tree: HTMLTree
        var cursor: Int
        let stop: Int
        init(tree: HTMLTree, node: Int) {
            self.tree = tree
            cursor = node + 1
            stop = Int(tree.end[node])
        }
        mutating func next() -> Int? {
            guard cursor < stop else { return nil }
            defer { cursor = Int(tree.end[cursor]) }
            return cursor
        }
    }

    /// The raw text of a text node (whitespace as in the page).
    func text(_ node: Int) -> String {
        guard kind[node] == .text else { return "" }
        let lower = Int(start[node])
        return String(decoding: bytes[lower..<lower + Int(length[node])], as: UTF8.self)
    }

    /// All text inside `node`, whitespace as in the page.
    func textContent(_ node: Int) -> String {
        var out = ""
        for index in node..<Int(end[node]) where kind[index] == .text {
            out += text(index)
        }
        return out
    }

    /// The value of an attribute of an element, or `nil`.
    func attribute(_ key: AttributeKey, _ node: Int) -> String? {
        guard let found = attributeRange(key, node) else { return nil }
        return String(decoding: bytes[found], as: UTF8.self)
    }

    func hasAttribute(_ key: AttributeKey, _ node: Int) -> Bool { attributeRange(key, node) != nil }

    /// Whether the attribute's value contains `pattern` (lower-case ASCII), ASCII
    /// case-insensitively, without making a `String`.
    func attribute(
        _ key: AttributeKey, _ node: Int, contains pattern: StaticString, ignoringSpaces: Bool = false
    ) -> Bool {
        guard let range = attributeRange(key, node) else { return false }
        return bytes.withUnsafeBufferPointer {
            UnsafeBufferPointer(rebasing: $0[range]).containsASCIILowercased(pattern, ignoringSpaces: ignoringSpaces)
        }
    }

    func attributeRange(_ key: AttributeKey, _ node: Int) -> Range<Int>? {
        guard kind[node] == .element else { return nil }
        let first = Int(start[node])
        for index in first..<first + Int(length[node]) where attributes[index].key == key {
            let attribute = attributes[index]
            return Int(attribute.start)..<Int(attribute.start + attribute.length)
        }
        return nil
    }

    /// Whether `node` lies inside the subtree of `ancestor` (or is it).
    func isInside(_ node: Int, _ ancestor: Int) -> Bool {
        node >= ancestor && node < Int(end[ancestor])
    }

    /// Index of the first element with this tag, or `nil`.
    func first(_ wanted: HTMLTag, from: Int = 0) -> Int? {
        var index = from
        while index < count {
            if kind[index] == .element && tag[index] == wanted { return index }
            index += 1
        }
        return nil
    }
}
