import CLibXML2
import Foundation

/// A page parsed by libxml2's HTML parser: the only code in Gloss that touches libxml2.
///
/// The parser runs with RECOVER|NOERROR|NOWARNING|NONET and an explicit UTF-8 encoding (the
/// input is already a Swift `String`); it is not given HTML_PARSE_HUGE, so libxml2's own limits
/// on names and text stay on. Input beyond `maximumBytes` is cut off. The document is freed in
/// `deinit`. Not `Sendable`: one owner at a time.
final class HTMLDocument {
    /// Larger input is truncated before parsing (the fetcher caps pages at 10 MB too).
    static let maximumBytes = 12 * 1024 * 1024
    /// Nodes beyond this count are not copied into the tree.
    static let maximumNodes = 500_000
    /// Attribute values longer than this are cut (a megabyte `data:` URL is never needed).
    static let maximumAttributeBytes = 8 * 1024

    /// libxml2 checks each attribute of a tag against all earlier ones (quadratic): a tag with
    /// more attributes than this has the rest dropped before parsing.
    static let maximumAttributesPerTag = 256

    private let document: htmlDocPtr?
    /// Size of the parsed input, to size the tree's arrays.
    private var approximateBytes = 0

    init(html: String) {
        var html = html
        if let trimmed = html.withUTF8({ Self.withoutAttributeFloods($0) }) {
            html = String(decoding: trimmed, as: UTF8.self)
        }
        approximateBytes = html.utf8.count
        document = html.withUTF8 { buffer -> htmlDocPtr? in
            let size = min(buffer.count, HTMLDocument.maximumBytes)
            guard size > 0, let base = buffer.baseAddress else { return nil }
            let options = Int32(
                HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
                    | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
                    | HTML_PARSE_COMPACT.rawValue)
            return base.withMemoryRebound(to: CChar.self, capacity: size) {
                htmlReadMemory($0, Int32(size), nil, "UTF-8", options)
            }
        }
    }

    /// A copy of the page with attributes beyond `maximumAttributesPerTag` removed from every
    /// tag, or `nil` when no tag has that many (the common case: one scan that jumps over text
    /// and quoted values with `memchr`, no copy).
    private static func withoutAttributeFloods(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let base = bytes.baseAddress else { return nil }
        let count = min(bytes.count, maximumBytes)
        let limit = maximumAttributesPerTag
        /// Index of the next `byte` at or after `from`, or `count`.
        func next(_ byte: UInt8, from: Int) -> Int {
            guard from < count, let found = memchr(base + from, Int32(byte), count - from) else { return count }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        // Ranges of excess attribute text to drop: (start, end) per flooded tag.
        var cuts: [(Int, Int)] = []
        var index = next(UInt8(ascii: "<"), from: 0)
        while index < count {
            index += 1
            guard index < count, (bytes[index] | 0x20) >= UInt8(ascii: "a"), (bytes[index] | 0x20) <= UInt8(ascii: "z")
            else {
                index = next(UInt8(ascii: "<"), from: index)
                continue
            }
            var equals = 0
            var cutStart = -1
            while index < count {
                let byte = bytes[index]
                // Letters (most of a tag outside its quoted values) first, with one
                // well-predicted comparison: `>` is the largest byte that matters here.
                if byte > UInt8(ascii: ">") {
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: ">") { break }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    index = next(byte, from: index + 1) + 1
                    continue
                }
                if byte == UInt8(ascii: "=") {
                    equals += 1
                    if equals == limit + 1 { cutStart = index }
                }
                index += 1
            }
            if cutStart >= 0 { cuts.append((cutStart, min(index, count))) }
            index = next(UInt8(ascii: "<"), from: index)
        }
        guard !cuts.isEmpty else { return nil }
        var copy: [UInt8] = []
        copy.reserveCapacity(count)
        var position = 0
        for (start, end) in cuts {
            copy.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<start]))
            position = end
        }
        copy.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<count]))
        return copy
    }

    deinit {
        if let document { xmlFreeDoc(document) }
    }

    /// Parses libxml2's HTML only, for the benchmark's parse-only baseline.
    static func parseOnly(_ html: String) -> Bool { HTMLDocument(html: html).document != nil }

    /// Copies the document into flat arrays (see `HTMLTree`), iteratively.
    ///
    /// Comments and processing instructions are left out. The bodies of `<script>` and
    /// `<style>` are left out too, except JSON-LD scripts, whose text the metadata reads.
    func tree() -> HTMLTree {
        var tree = HTMLTree()
        guard let document else { return tree }
        // About one node per 40 bytes of HTML on real pages.
        let estimate = min(HTMLDocument.maximumNodes, max(1024, Int(approximateBytes / 40)))
        tree.kind.reserveCapacity(estimate)
        tree.tag.reserveCapacity(estimate)
        tree.parent.reserveCapacity(estimate)
        tree.end.reserveCapacity(estimate)
        tree.start.reserveCapacity(estimate)
        tree.length.reserveCapacity(estimate)
        tree.textWeight.reserveCapacity(estimate)
        tree.textCommas.reserveCapacity(estimate)
        tree.bytes.reserveCapacity(Int(approximateBytes / 2))
        var open: [Int32] = []
        var node: xmlNodePtr? = document.pointee.children
        while let current = node {
            var descend = false
            switch current.pointee.type {
            case XML_ELEMENT_NODE where tree.count < HTMLDocument.maximumNodes:
                let index = Int32(tree.count)
                let tag = Self.tag(of: current)
                Self.appendElement(current, tag: tag, parent: open.last ?? -1, to: &tree)
                if tag == .script || tag == .style {
                    if tag == .script, Self.isJSONLD(tree, Int(index)) {
                        Self.appendScriptText(current, parent: index, to: &tree)
                    }
                    tree.end[Int(index)] = Int32(tree.count)
                } else if current.pointee.children != nil {
                    open.append(index)
                    descend = true
                } else {
                    tree.end[Int(index)] = Int32(tree.count)
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if tree.count < HTMLDocument.maximumNodes, let content = current.pointee.content {
                    Self.appendText(content, parent: open.last ?? -1, to: &tree)
                }
            default:
                break
            }
            if descend {
                node = current.pointee.children
                continue
            }
            // Next sibling, or climb until an ancestor has one.
            var climbing: xmlNodePtr? = current
            node = nil
            while let step = climbing {
                if let next = step.pointee.next {
                    node = next
                    break
                }
                climbing = step.pointee.parent
                guard let parent = climbing, parent.pointee.type == XML_ELEMENT_NODE,
                    let closed = open.popLast()
                else { break }
                tree.end[Int(closed)] = Int32(tree.count)
            }
        }
        while let closed = open.popLast() { tree.end[Int(closed)] = Int32(tree.count) }
        return tree
    }

    private static func tag(of node: xmlNodePtr) -> HTMLTag {
        guard let name = node.pointee.name else { return .other }
        let length = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
        return HTMLTag.lookup(UnsafeBufferPointer(start: name, count: length))
    }

    /// The key of an attribute the extractor reads, or `nil`. Compared byte by byte up to the
    /// name's NUL (no `strlen`: this runs for every attribute of the page).
    private static func attributeKey(_ name: UnsafePointer<xmlChar>) -> HTMLTree.AttributeKey? {
        func `is`(_ literal: StaticString) -> Bool {
            let expected = literal.utf8Start
            var index = 0
            while index < literal.utf8CodeUnitCount {
                // A shorter name stops here at its NUL.
                guard name[index] == expected[index] else { return false }
                index += 1
            }
            return name[index] == 0
        }
        switch name[0] {
        case UInt8(ascii: "a"):
            if `is`("alt") { return .alt }
            if `is`("aria-hidden") { return .ariaHidden }
        case UInt8(ascii: "c"):
            if `is`("class") { return .class }
            if `is`("content") { return .content }
        case UInt8(ascii: "d"):
            if `is`("datetime") { return .datetime }
            if `is`("data-src") { return .dataSrc }
        case UInt8(ascii: "h"):
            if `is`("href") { return .href }
            if `is`("hidden") { return .hidden }
            if `is`("http-equiv") { return .httpEquiv }
        case UInt8(ascii: "i"):
            if `is`("id") { return .id }
            if `is`("itemprop") { return .itemprop }
            if `is`("itemtype") { return .itemtype }
        case UInt8(ascii: "l"):
            if `is`("lang") { return .lang }
        case UInt8(ascii: "n"):
            if `is`("name") { return .name }
        case UInt8(ascii: "p"):
            if `is`("property") { return .property }
        case UInt8(ascii: "r"):
            if `is`("rel") { return .rel }
            if `is`("role") { return .role }
        case UInt8(ascii: "s"):
            if `is`("src") { return .src }
            if `is`("style") { return .style }
        case UInt8(ascii: "t"):
            if `is`("type") { return .type }
        default:
            break
        }
        return nil
    }

    private static func appendElement(
        _ node: xmlNodePtr, tag: HTMLTag, parent: Int32, to tree: inout HTMLTree
    ) {
        switch tag {
        case .meta, .link, .base, .title, .html, .script, .time, .h1:
            tree.metadataNodes.append(Int32(tree.count))
        default:
            break
        }
        tree.kind.append(.element)
        tree.tag.append(tag)
        tree.parent.append(parent)
        tree.end.append(Int32(tree.count))
        let first = tree.attributes.count
        var attribute = node.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            guard let name = current.pointee.name, let key = attributeKey(name) else { continue }
            if key == .itemprop, tree.metadataNodes.last != Int32(tree.count - 1) {
                tree.metadataNodes.append(Int32(tree.count - 1))
            }
            let startByte = Int32(tree.bytes.count)
            var child = current.pointee.children
            while let text = child {
                if let content = text.pointee.content {
                    let room = maximumAttributeBytes - (tree.bytes.count - Int(startByte))
                    if room > 0 { appendBytes(content, limit: room, to: &tree.bytes) }
                }
                child = text.pointee.next
            }
            tree.attributes.append(
                HTMLTree.Attribute(
                    key: key, start: startByte, length: Int32(tree.bytes.count) - startByte))
        }
        tree.start.append(Int32(first))
        tree.length.append(Int32(tree.attributes.count - first))
        tree.textWeight.append(0)
        tree.textCommas.append(0)
    }

    private static func appendText(
        _ content: UnsafeMutablePointer<xmlChar>, parent: Int32, to tree: inout HTMLTree
    ) {
        let startByte = Int32(tree.bytes.count)
        let length = strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self))
        let text = UnsafeBufferPointer(start: UnsafePointer(content), count: length)
        tree.bytes.append(contentsOf: text)
        let measured = TextMeasure.measure(text)
        tree.textWeight.append(Int32(measured.length))
        tree.textCommas.append(Int32(measured.commas))
        tree.kind.append(.text)
        tree.tag.append(.other)
        tree.parent.append(parent)
        tree.end.append(Int32(tree.count))
        tree.start.append(startByte)
        tree.length.append(Int32(tree.bytes.count) - startByte)
    }

    private static func appendScriptText(
        _ script: xmlNodePtr, parent: Int32, to tree: inout HTMLTree
    ) {
        var child = script.pointee.children
        while let current = child {
            if let content = current.pointee.content {
                appendText(content, parent: parent, to: &tree)
            }
            child = current.pointee.next
        }
    }

    private static func isJSONLD(_ tree: HTMLTree, _ index: Int) -> Bool {
        guard let range = tree.attributeRange(.type, index) else { return false }
        // Contains `ld+json`, ASCII case-insensitively.
        let pattern = Array("ld+json".utf8)
        guard range.count >= pattern.count else { return false }
        for start in range.lowerBound...(range.upperBound - pattern.count) {
            var offset = 0
            while offset < pattern.count {
                let byte = tree.bytes[start + offset]
                guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == pattern[offset] else { break }
                offset += 1
            }
            if offset == pattern.count { return true }
        }
        return false
    }

    private static func appendBytes(
        _ content: UnsafePointer<xmlChar>, limit: Int, to bytes: inout [UInt8]
    ) {
        let length = min(strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self)), limit)
        bytes.append(contentsOf: UnsafeBufferPointer(start: content, count: length))
    }
}

@available(*, unavailable)
extension HTMLDocument: Sendable {}
