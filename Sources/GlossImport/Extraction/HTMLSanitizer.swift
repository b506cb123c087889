import Foundation

/// The allow-list for the article's HTML, and link resolution.
///
/// Kept: block wrappers `p h2–h6 ul ol li blockquote pre` (written by the assembler) and the
/// inline tags `a em strong b i u s code sub sup small mark q cite abbr time del ins br img`.
/// Kept attributes: `href` on `a` (made absolute; only http, https and mailto), `src` and `alt`
/// on `img` (absolute http or https only). Everything else — scripts, styles, event handlers,
/// iframes, forms, classes, ids, inline styles — is dropped; text is escaped.
struct HTMLSanitizer: Sendable {
    /// Base for relative links: the page's `<base href>`, else its canonical URL, else its URL.
    let base: URL?

    /// The tags written for an inline element, or `nil` to keep only its text.
    func inlineTags(_ tree: HTMLTree, _ node: Int) -> (open: String, close: String)? {
        let name: String
        switch tree.tag[node] {
        case .a:
            guard let href = tree.attribute(.href, node), let url = resolve(href, allowMail: true)
            else { return nil }
            return ("<a href=\"\(escapeAttribute(url))\">", "</a>")
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

    /// An `<img>` with an absolute http(s) source, or `nil`.
    func image(_ tree: HTMLTree, _ node: Int) -> String? {
        let source = tree.attribute(.src, node) ?? tree.attribute(.dataSrc, node)
        guard let source, let url = resolve(source, allowMail: false) else { return nil }
        let alt = tree.attribute(.alt, node) ?? ""
        return "<img src=\"\(escapeAttribute(url))\" alt=\"\(escapeAttribute(alt))\">"
    }

    /// An absolute URL for `reference`, or `nil` when it is not http(s) (or mailto).
    func resolve(_ reference: String, allowMail: Bool) -> String? {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 4096, !trimmed.hasPrefix("#") else { return nil }
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("mailto:") { return allowMail ? trimmed : nil }
        guard let url = URL(string: trimmed, relativeTo: base)?.absoluteURL,
            let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            url.host != nil
        else { return nil }
        return url.absoluteString
    }

    func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    func escapeAttribute(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Wraps kept blocks in their block tags; consecutive list items share one list.
    func document(_ blocks: [TextBlock]) -> String {
        var out = ""
        var openList: String?
        for block in blocks {
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
