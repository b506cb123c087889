import Foundation

/// The allow-list for the article's HTML, and link resolution.
///
/// Kept: block wrappers `p h2–h6 ul ol li blockquote pre` (written by the assembler) and the
/// inline tags `a em strong b i u s code sub sup small mark q cite abbr time del ins br img`.
/// Kept attributes: `href` on `a` (made absolute; only http, https and mailto), `src` and `alt`
/// on `img` (absolute http or https only). Everything else — scripts, styles, event handlers,
/// iframes, forms, classes, ids, inline styles — is dropped; text is escaped.
struct HTMLSanitizer: Sendable {
    /// Base for relative links: the page's `<base href>`, else its URL, else its canonical URL.
    let base: URL?
    /// `scheme://host[:port]` of `base`, for root-relative links.
    private let origin: String?

    init(base: URL?) {
        self.base = base
        if let base, let scheme = base.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = base.host, !host.isEmpty
        {
            origin = "\(scheme)://\(host)" + (base.port.map { ":\($0)" } ?? "")
        } else {
            origin = nil
        }
    }

    /// The tags written for an inline element, or `nil` to keep only its text.
    func inlineTags(_ tree: HTMLTree, _ node: Int) -> (open: String, close: String)? {
        let name: String
        switch tree.tag[node] {
        case .a:
            guard tree.hasAttribute(.href, node) else { return nil }
            // Resolved later, only for blocks that are kept (`document`): URL parsing is the
            // costliest step per link, and most links are in dropped boilerplate.
            return ("\(Self.linkStart)\(node)\(Self.linkEnd)", "</a>")
        case .em, .i: name = tree.tag[node] == .em ? "em" : "i"
        case .strong: name = "strong"
        case .b: name = "b"
        case .u: name = "u"
        case .s, .strike, .del: name = "s"
        case .code, .tt, .kbd, .samp, .var: name = "code"
        case .sub: name = "sub"
        case .sup: name = "sup"
        case .small: name = "small"
        case .mark: name = "mark"
        case .q: name = "q"
        case .cite: name = "cite"
        case .abbr: name = "abbr"
        case .ins: name = "ins"
        default: return nil
        }
        return ("<\(name)>", "</\(name)>")
    }

    /// Private-use markers around a link's node index in a block's unresolved HTML.
    static let linkStart: Character = "\u{E000}"
    static let linkEnd: Character = "\u{E001}"

    /// A block's HTML with its link markers replaced by `<a href>` tags (a link whose target
    /// is not http, https or mailto keeps its text, in a bare `<a>`).
    func resolveLinks(_ html: String, tree: HTMLTree) -> String {
        // Work on UTF-8 bytes: the markers are EE 80 80 … EE 80 81 around ASCII digits.
        let bytes = Array(html.utf8)
        guard bytes.contains(0xEE) else { return html }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0xEE, index + 2 < bytes.count, bytes[index + 1] == 0x80,
                bytes[index + 2] == 0x80
            else {
                out.append(bytes[index])
                index += 1
                continue
            }
            var cursor = index + 3
            var node = 0
            while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39, node < Int(Int32.max) {
                node = node * 10 + Int(bytes[cursor] - 0x30)
                cursor += 1
            }
            guard cursor + 2 < bytes.count, bytes[cursor] == 0xEE, bytes[cursor + 1] == 0x80,
                bytes[cursor + 2] == 0x81, node < tree.count
            else {
                index += 3
                continue
            }
            if let href = tree.attribute(.href, node), let url = resolve(href, allowMail: true) {
                out.append(contentsOf: "<a href=\"\(escapeAttribute(url))\">".utf8)
            } else {
                out.append(contentsOf: "<a>".utf8)
            }
            index = cursor + 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// An `<img>` with an absolute http(s) source, or `nil`.
    func image(_ tree: HTMLTree, _ node: Int) -> String? {
        let source = tree.attribute(.src, node) ?? tree.attribute(.dataSrc, node)
        guard let source, let url = resolve(source, allowMail: false) else { return nil }
        let alt = tree.attribute(.alt, node) ?? ""
        return "<img src=\"\(escapeAttribute(url))\" alt=\"\(escapeAttribute(alt))\">"
    }

    /// An absolute URL for `reference`, or `nil` when it is not http(s) (or mailto).
    func resolve(_ reference: String, allowMail: Bool) -> String? {
        let trimmed = reference.utf8.first.map { $0 <= 0x20 } == true || reference.utf8.last.map { $0 <= 0x20 } == true
            ? reference.trimmingCharacters(in: .whitespacesAndNewlines) : reference
        guard !trimmed.isEmpty, trimmed.utf8.count <= 4096, !trimmed.hasPrefix("#") else { return nil }
        let lowered = trimmed.prefix(8).lowercased()
        if lowered.hasPrefix("mailto:") { return allowMail ? trimmed : nil }
        // Fast paths without Foundation's URL parser: an absolute http(s) URL with nothing
        // unusual in it is kept as written; a root-relative path joins the base's origin.
        let plain = !trimmed.utf8.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x3C || $0 == 0x3E || $0 == 0x5C || $0 >= 0x7F }
        if plain, lowered.hasPrefix("https://") || lowered.hasPrefix("http://") {
            let hostStart = lowered.hasPrefix("https://") ? 8 : 7
            let utf8 = Array(trimmed.utf8.prefix(hostStart + 1))
            if utf8.count > hostStart {
                let first = utf8[hostStart] | 0x20
                if (first >= 0x61 && first <= 0x7A) || (utf8[hostStart] >= 0x30 && utf8[hostStart] <= 0x39) {
                    return trimmed
                }
            }
        }
        if plain, trimmed.hasPrefix("/"), !trimmed.hasPrefix("//"), let origin {
            return origin + trimmed
        }
        guard let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else { return nil }
        return url.absoluteString
    }

    func escape(_ text: String) -> String {
        var copy = text
        guard copy.withUTF8({ $0.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0xEE }) })
        else { return text }
        // On bytes: `&`, `<` and `>` are escaped and the link markers (EE 80 80, EE 80 81)
        // dropped.
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0xEE where index + 2 < bytes.count && bytes[index + 1] == 0x80
                && (bytes[index + 2] == 0x80 || bytes[index + 2] == 0x81):
                index += 3
                continue
            default: out.append(byte)
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    func escapeAttribute(_ text: String) -> String {
        escape(text).replacingBytes("\"", with: "&quot;")
    }

    /// Wraps kept blocks in their block tags; consecutive list items share one list.
    func document(_ blocks: [TextBlock], tree: HTMLTree) -> String {
        var out = ""
        var openList: String?
        for var block in blocks {
            block.html = resolveLinks(block.html, tree: tree)
            if case .listItem(let ordered) = block.kind {
                let list = ordered ? "ol" : "ul"
                if openList != list {
                    if let openList { out += "</\(openList)>\n" }
                    out += "<\(list)>\n"
                    openList = list
                }
                out += "<li>\(block.html)</li>\n"
                continue
            }
            if let list = openList {
                out += "</\(list)>\n"
                openList = nil
            }
            switch block.kind {
            case .heading(let level): out += "<h\(level)>\(block.html)</h\(level)>\n"
            case .quote: out += "<blockquote><p>\(block.html)</p></blockquote>\n"
            case .preformatted: out += "<pre>\(block.html)</pre>\n"
            case .paragraph, .listItem: out += "<p>\(block.html)</p>\n"
            }
        }
        if let openList { out += "</\(openList)>\n" }
        return out
    }
}
