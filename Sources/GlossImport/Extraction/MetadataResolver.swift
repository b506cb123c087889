import Foundation

/// Turns `PageMetadata` into the article's fields. Precedence, first found wins:
///
/// - **title**: og:title → JSON-LD headline → twitter:title → `<title>` → first `<h1>`; then a
///   site-name suffix or prefix (" | Site", " - Site", "Site: ") is removed.
/// - **byline**: JSON-LD author (Person names; organisations skipped) → meta author,
///   article:author, parsely-author, dc.creator, byl → a visible byline element (class/id
///   byline/author, `rel=author`) before or at the top of the article. Cleaned by `BylineText`.
/// - **published** (calendar date as the page wrote it, `YYYY-MM-DD`): JSON-LD datePublished →
///   meta article:published_time, og:published_time, itemprop datePublished, dc.date.issued,
///   dc.date, date, pubdate, publishdate, sailthru.date, parsely-pub-date,
///   citation_publication_date → a `<time>` in the article's header (before its first
///   paragraph; never one marked updated/modified, never inside related items) → a visible
///   "Published …" line at the top. Modified dates are never used.
/// - **siteName**: JSON-LD publisher name → og:site_name → application-name → JSON-LD WebSite
///   name → the host without `www.`.
/// - **language**: `<html lang>` → meta content-language / language / og:locale → JSON-LD
///   inLanguage; the primary subtag (`en-US` → `en`), Chinese keeping its script or region.
/// - **canonicalURL**: `<link rel=canonical>` → og:url → the page URL (made absolute).
/// - **leadImageURL**: og:image → JSON-LD image → twitter:image.
/// - **excerpt**: og:description → meta description → JSON-LD description → the first
///   paragraph, cut to about 300 characters.
struct MetadataResolver {
    let metadata: PageMetadata
    let tree: HTMLTree
    let url: URL?

    var article: [String: Any]? { metadata.jsonLDArticles.first }

    private func meta(_ keys: [String]) -> String? {
        for key in keys {
            if let value = metadata.meta[key], !value.isEmpty { return value }
        }
        return nil
    }

    private func jsonString(_ key: String) -> String? {
        for object in metadata.jsonLDArticles {
            if let value = object[key] as? String, !value.isEmpty { return Self.clean(value) }
        }
        return nil
    }

    static func clean(_ text: String) -> String {
        BlockSegmenter.collapse(Self.decodeEntities(text))
    }

    /// JSON-LD and meta values sometimes carry escaped entities.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (entity, value) in [("&amp;", "&"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " "), ("&#8217;", "’"), ("&#8216;", "‘"), ("&#8220;", "“"), ("&#8221;", "”")] {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        return out
    }

    // MARK: Site name and title

    func siteName() -> String? {
        for object in metadata.jsonLDArticles {
            if let publisher = object["publisher"] as? [String: Any], let name = publisher["name"] as? String,
                !name.isEmpty
            {
                return Self.clean(name)
            }
            if let publishers = object["publisher"] as? [Any],
                let name = (publishers.first as? [String: Any])?["name"] as? String, !name.isEmpty
            {
                return Self.clean(name)
            }
        }
        if let name = meta(["og:site_name", "application-name", "al:ios:app_name"]) { return Self.clean(name) }
        if let name = metadata.jsonLDSiteNames.first { return Self.clean(name) }
        if var host = url?.host ?? canonicalURL().flatMap({ URL(string: $0)?.host }) {
            if host.hasPrefix("www.") { host.removeFirst(4) }
            return host
        }
        return nil
    }

    func title(siteName: String?) -> String? {
        let candidates: [() -> String?] = [
            { meta(["og:title"]) }, { jsonString("headline") }, { meta(["twitter:title", "parsely-title"]) },
            { metadata.titleElement }, { metadata.h1s.first.map { tree.textContent($0) } },
        ]
        for candidate in candidates {
            guard let candidate = candidate().map(Self.clean), !candidate.isEmpty else { continue }
            return Self.stripSiteName(candidate, siteName: siteName)
        }
        return nil
    }

    static func stripSiteName(_ title: String, siteName: String?) -> String {
        let separators = [" | ", " - ", " – ", " — ", " :: ", " · ", " » ", " / ", ": "]
        let site = siteName.map { BlockFilter.normalized($0) } ?? ""
        for separator in separators {
            guard let range = title.byteRange(of: separator, backwards: true) else { continue }
            let head = String(title[..<range.lowerBound])
            let tail = String(title[range.upperBound...])
            let normalizedTail = BlockFilter.normalized(tail)
            if !site.isEmpty, !normalizedTail.isEmpty, site.contains(normalizedTail) || normalizedTail.contains(site) {
                return stripSiteName(head, siteName: siteName)
            }
            if let first = title.byteRange(of: separator) {
                let prefix = BlockFilter.normalized(String(title[..<first.lowerBound]))
                if !site.isEmpty, !prefix.isEmpty, site.contains(prefix) || prefix.contains(site), separator != ": " {
                    return String(title[first.upperBound...])
                }
            }
            // A short tail after a long head is a site name nobody declared.
            if separator != ": " && separator != " - " && tail.split(separator: " ").count <= 3
                && head.split(separator: " ").count >= 4
            {
                return head
            }
        }
        return title
    }

    // MARK: Byline

    func byline(container: Int?, analysis: PageAnalysis) -> String? {
        for object in metadata.jsonLDArticles {
            if let names = Self.personNames(object["author"]), let cleaned = BylineText.clean(names.joined(separator: ", ")) {
                return cleaned
            }
        }
        if let value = meta(["author", "article:author", "parsely-author", "dc.creator", "dc:creator", "byl", "sailthru.author", "itemprop:author", "cxenseparse:author"]),
            !value.hasPrefix("http"), let cleaned = BylineText.clean(value)
        {
            return cleaned
        }
        return visibleByline(container: container, analysis: analysis)
    }

    static func personNames(_ value: Any?) -> [String]? {
        var names: [String] = []
        func add(_ item: Any) {
            if let name = item as? String {
                if !name.hasPrefix("http") { names.append(name) }
            } else if let object = item as? [String: Any] {
                let types = PageMetadata.types(object)
                if types.contains("organization") || types.contains("newsmediaorganization") { return }
                if let name = object["name"] as? String { names.append(name) }
                else if let name = object["name"] as? [Any], let first = name.first as? String { names.append(first) }
            }
        }
        if let list = value as? [Any] { list.forEach(add) } else if let value { add(value) }
        return names.isEmpty ? nil : names
    }

    /// A byline element near the start of the article: `rel=author` links or elements whose
    /// class/id says byline/author, outside related-item boxes.
    private func visibleByline(container: Int?, analysis: PageAnalysis) -> String? {
        let limit = container.map { Int(tree.end[$0]) } ?? tree.count
        var node = 0
        while node < limit {
            // Skip removed boxes (related items, comments), but not a byline removed only for
            // its own class (e.g. "byline-share").
            let parent = Int(tree.parent[node])
            if analysis.removed[node] && (parent < 0 || analysis.removed[parent] || !analysis.hints[node].contains(.byline)) {
                node = Int(tree.end[node])
                continue
            }
            guard tree.kind[node] == .element else {
                node += 1
                continue
            }
            let isRelAuthor = tree.tag[node] == .a && tree.attribute(.rel, node, contains: "author")
            let classy = analysis.hints[node].contains(.byline)
                && (tree.attribute(.class, node, contains: "author") || tree.attribute(.class, node, contains: "byline"))
            if isRelAuthor || classy {
                if let container, !isNearArticle(node, container) {
                    node = Int(tree.end[node])
                    continue
                }
                let text = Self.clean(tree.textContent(node))
                if !text.isEmpty, text.count < 200, let cleaned = BylineText.clean(text) {
                    return cleaned
                }
                node = Int(tree.end[node])
                continue
            }
            node += 1
        }
        return nil
    }

    /// Inside the container, or in the container's parent chain before it (its header).
    private func isNearArticle(_ node: Int, _ container: Int) -> Bool {
        if tree.isInside(node, container) { return true }
        var ancestor = Int(tree.parent[container])
        var levels = 0
        while ancestor >= 0 && levels < 3 {
            if tree.isInside(node, ancestor) && node < container { return true }
            ancestor = Int(tree.parent[ancestor])
            levels += 1
        }
        return false
    }

    // MARK: Dates

    func published(container: Int?, analysis: PageAnalysis, topText: [String]) -> String? {
        for object in metadata.jsonLDArticles {
            if let value = object["datePublished"] as? String, let date = DateText.date(value) { return date }
        }
        let keys = [
            "article:published_time", "og:published_time", "article:published", "itemprop:datepublished",
            "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "dc.date.created", "date", "pubdate",
            "publishdate", "publish-date", "publish_date", "published_time", "sailthru.date",
            "parsely-pub-date", "citation_publication_date", "citation_date", "article.published",
            "article_date_original", "originalpublicationdate", "datepublished",
        ]
        for key in keys {
            if let value = metadata.meta[key], let date = DateText.date(value) { return date }
        }
        if let container {
            let firstParagraph = firstParagraph(in: container, analysis)
            for time in metadata.times where isNearArticle(time, container) && !analysis.removed[time] {
                if isUpdated(time) { continue }
                if tree.isInside(time, container) && time > firstParagraph { continue }
                if let value = tree.attribute(.datetime, time) ?? tree.attribute(.content, time),
                    let date = DateText.date(value)
                {
                    return date
                }
                if let date = DateText.date(tree.textContent(time)) { return date }
            }
        }
        for line in topText {
            let lowered = line.lowercased()
            guard !lowered.containsBytes("updated"), !lowered.containsBytes("modified") else { continue }
            if lowered.containsBytes("published") || lowered.containsBytes("posted") || lowered.hasPrefix("by ") || line.count < 60,
                let date = DateText.date(line)
            {
                return date
            }
        }
        return nil
    }

    private func isUpdated(_ time: Int) -> Bool {
        var node = time
        for _ in 0..<3 {
            guard node >= 0 else { break }
            let words = ((tree.attribute(.class, node) ?? "") + " " + (tree.attribute(.itemprop, node) ?? "")).lowercased()
            if words.containsBytes("update") || words.containsBytes("modif") { return true }
            node = Int(tree.parent[node])
        }
        // "Updated" written just before the time element.
        let parent = Int(tree.parent[time])
        if parent >= 0 {
            let text = tree.textContent(parent).lowercased()
            if let range = text.byteRange(of: tree.textContent(time).lowercased()), !tree.textContent(time).isEmpty {
                let before = String(text[..<range.lowerBound].suffix(20))
                if before.containsBytes("updated") || before.containsBytes("atualizado") || before.containsBytes("обновлено") { return true }
            }
        }
        return false
    }

    /// Index of the container's first prose `<p>` (over 80 characters), or its end.
    private func firstParagraph(in container: Int, _ analysis: PageAnalysis) -> Int {
        var index = container
        while index < Int(tree.end[container]) {
            if analysis.removed[index] {
                index = Int(tree.end[index])
                continue
            }
            if tree.kind[index] == .element && tree.tag[index] == .p && analysis.textLength[index] > 80 {
                return index
            }
            index += 1
        }
        return Int(tree.end[container])
    }

    // MARK: Language, URLs, image, excerpt

    func language() -> String? {
        let candidates = [
            metadata.htmlLang, meta(["http-equiv:content-language", "content-language", "language", "dc.language", "og:locale"]),
            jsonString("inLanguage"),
        ]
        for candidate in candidates {
            guard var value = candidate?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { continue }
            value = String(value.split(separator: ",").first ?? "").replacingOccurrences(of: "_", with: "-")
            let parts = value.split(separator: "-")
            guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy(\.isLetter) else { continue }
            // The primary subtag: `en-US` → `en`; Chinese keeps its script or region.
            var tag = first.lowercased()
            if tag == "zh", parts.count > 1 { tag += "-" + parts[1] }
            return tag
        }
        return nil
    }

    func canonicalURL() -> String? {
        for candidate in [metadata.canonical, meta(["og:url"])] {
            guard let candidate = candidate?.trimmingCharacters(in: .whitespaces), !candidate.isEmpty,
                let resolved = URL(string: candidate, relativeTo: url)?.absoluteURL,
                let scheme = resolved.scheme?.lowercased(), scheme == "http" || scheme == "https",
                resolved.host != nil
            else { continue }
            return resolved.absoluteString
        }
        return url?.absoluteString
    }

    func leadImage(sanitizer: HTMLSanitizer) -> String? {
        var candidates: [String] = []
        if let value = meta(["og:image", "og:image:url", "og:image:secure_url"]) { candidates.append(value) }
        for object in metadata.jsonLDArticles {
            if let image = object["image"] as? String { candidates.append(image) }
            if let image = object["image"] as? [String: Any], let link = image["url"] as? String { candidates.append(link) }
            if let images = object["image"] as? [Any] {
                if let first = images.first as? String { candidates.append(first) }
                if let first = images.first as? [String: Any], let link = first["url"] as? String { candidates.append(link) }
            }
        }
        if let value = meta(["twitter:image", "twitter:image:src"]) { candidates.append(value) }
        for candidate in candidates {
            if let resolved = sanitizer.resolve(candidate, allowMail: false) { return resolved }
        }
        return nil
    }

    func excerpt(firstParagraph: String?) -> String? {
        if let value = meta(["og:description", "description", "twitter:description"]) ?? jsonString("description") {
            let cleaned = Self.clean(value)
            if !cleaned.isEmpty { return cleaned }
        }
        guard let paragraph = firstParagraph, !paragraph.isEmpty else { return nil }
        if paragraph.count <= 300 { return paragraph }
        return String(paragraph.prefix(300)) + "…"
    }

    /// JSON-LD `articleBody`, when present (evidence for choosing the container).
    func articleBody() -> String? {
        jsonString("articleBody")
    }
}
