import Foundation

/// Raw metadata found in one walk over the elements that can hold it (`HTMLTree.metadataNodes`): `<meta>` tags, `<link rel=canonical>`,
/// `<base>`, `<title>`, `<html lang>`, JSON-LD (including `@graph`), microdata `articleBody`,
/// `<time>` and `<h1>` elements. `MetadataResolver` turns it into fields.
struct PageMetadata {
    /// `<meta name|property|itemprop=… content=…>`, keys lower-cased, first value wins.
    var meta: [String: String] = [:]
    var canonical: String?
    var baseHref: String?
    var titleElement: String?
    var htmlLang: String?
    /// Article-like JSON-LD objects (NewsArticle, BlogPosting, Article, WebPage…), in order.
    var jsonLDArticles: [[String: Any]] = []
    /// Organisation or WebSite names declared in JSON-LD.
    var jsonLDSiteNames: [String] = []
    /// Elements with `itemprop=articleBody`.
    var microdataBodies: [Int] = []
    var times: [Int] = []
    var h1s: [Int] = []

    init(tree: HTMLTree) {
        meta.reserveCapacity(64)
        for node in tree.metadataNodes.lazy.map(Int.init) {
            switch tree.tag[node] {
            case .meta:
                readMeta(tree, node)
            case .link:
                if canonical == nil, let rel = tree.attribute(.rel, node)?.lowercased(),
                    rel.split(separator: " ").contains("canonical")
                {
                    canonical = tree.attribute(.href, node)
                }
            case .base:
                if baseHref == nil { baseHref = tree.attribute(.href, node) }
            case .title:
                if titleElement == nil { titleElement = tree.textContent(node) }
            case .html:
                if htmlLang == nil { htmlLang = tree.attribute(.lang, node) }
            case .script:
                readJSONLD(Self.trimmedText(tree, node))
            case .time:
                times.append(node)
            case .h1:
                h1s.append(node)
            default:
                break
            }
            if let itemprop = tree.attribute(.itemprop, node)?.lowercased() {
                if tree.attribute(.itemprop, node, contains: "articlebody") { microdataBodies.append(node) }
                if tree.tag[node] != .meta, let content = tree.attribute(.content, node) ?? tree.attribute(.datetime, node) {
                    let key = "itemprop:" + itemprop
                    if meta[key] == nil { meta[key] = content }
                }
            }
        }
    }

    private mutating func readMeta(_ tree: HTMLTree, _ node: Int) {
        guard tree.hasAttribute(.name, node) || tree.hasAttribute(.property, node)
            || tree.hasAttribute(.itemprop, node) || tree.hasAttribute(.httpEquiv, node),
            let content = tree.attribute(.content, node)
        else { return }
        var keys: [String] = []
        if let name = tree.attribute(.name, node) { keys.append(name.lowercased()) }
        if let property = tree.attribute(.property, node) {
            keys.append(contentsOf: property.lowercased().split(separator: " ").map(String.init))
        }
        if let itemprop = tree.attribute(.itemprop, node) { keys.append("itemprop:" + itemprop.lowercased()) }
        if let equiv = tree.attribute(.httpEquiv, node) { keys.append("http-equiv:" + equiv.lowercased()) }
        let value = BlockSegmenter.collapse(content)
        guard !value.isEmpty else { return }
        for key in keys where meta[key] == nil { meta[key] = value }
    }

    static let articleTypes: Set<String> = [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
        "techarticle", "socialmediaposting", "liveblogposting", "report", "posting",
        "advertisercontentarticle", "satiricalarticle", "medicalscholarlyarticle",
    ]

    /// The text of a (JSON-LD) script as bytes, without surrounding whitespace; empty when
    /// over 2 MB.
    private static func trimmedText(_ tree: HTMLTree, _ node: Int) -> Data {
        var data = Data()
        for index in node..<Int(tree.end[node]) where tree.kind[index] == .text {
            let lower = Int(tree.start[index])
            data.append(contentsOf: tree.bytes[lower..<lower + Int(tree.length[index])])
        }
        guard data.count < 2_000_000 else { return Data() }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        guard let first = data.firstIndex(where: { !isSpace($0) }),
            let last = data.lastIndex(where: { !isSpace($0) })
        else { return Data() }
        if data[first] >= 0x80 || data[last] >= 0x80 {
            // Perhaps Unicode whitespace (a no-break space) around the JSON.
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return Data(text.utf8)
        }
        return first == data.startIndex && last == data.endIndex - 1 ? data : Data(data[first...last])
    }

    private mutating func readJSONLD(_ data: Data) {
        guard !data.isEmpty,
            let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return }
        var pending: [Any] = [value]
        var visited = 0
        var pages: [[String: Any]] = []
        while let item = pending.popLast(), visited < 500 {
            visited += 1
            if let list = item as? [Any] {
                pending.append(contentsOf: list.reversed())
                continue
            }
            guard let object = item as? [String: Any] else { continue }
            if let graph = object["@graph"] { pending.append(graph) }
            let types = Self.types(object)
            if types.contains(where: { Self.articleTypes.contains($0) }) {
                jsonLDArticles.append(object)
            } else if types.contains("webpage") || types.contains("itempage") {
                pages.append(object)
            }
            if types.contains("website") || types.contains("organization")
                || types.contains("newsmediaorganization")
            {
                if let name = object["name"] as? String { jsonLDSiteNames.append(name) }
            }
        }
        // A WebPage counts only when nothing says Article.
        if jsonLDArticles.isEmpty { jsonLDArticles.append(contentsOf: pages) }
    }

    static func types(_ object: [String: Any]) -> [String] {
        if let type = object["@type"] as? String { return [type.lowercased()] }
        if let types = object["@type"] as? [Any] { return types.compactMap { ($0 as? String)?.lowercased() } }
        return []
    }
}
