/// The HTML elements the extractor distinguishes; every other element is `.other`.
///
/// Identified from libxml2's lower-cased names by packing the name's bytes into one integer,
/// so no `String` is made per element.
enum HTMLTag: UInt8, Sendable {
    case other, html, head, body, title, meta, link, base, script, style, noscript, template
    case iframe, object, embed, svg, math, canvas, video, audio, map
    case form, input, button, select, textarea, label, option, fieldset
    case nav, aside, footer, header, main, article, section, div, span, p, br, hr, a, img
    case picture, source, figure, figcaption, h1, h2, h3, h4, h5, h6
    case ul, ol, li, dl, dt, dd, blockquote, pre, code, table, thead, tbody, tfoot, tr, td, th
    case caption, em, strong, b, i, u, s, small, sub, sup, time, abbr, cite, q, mark, font
    case center, address, details, summary, dialog, menu, ins, del, wbr, tt, kbd, `var`, samp, big
    case strike

    private static let names: [(String, HTMLTag)] = [
        ("html", .html), ("head", .head), ("body", .body), ("title", .title), ("meta", .meta),
        ("link", .link), ("base", .base), ("script", .script), ("style", .style),
        ("noscript", .noscript), ("template", .template), ("iframe", .iframe),
        ("object", .object), ("embed", .embed), ("svg", .svg), ("math", .math),
        ("canvas", .canvas), ("video", .video), ("audio", .audio), ("map", .map),
        ("form", .form), ("input", .input), ("button", .button), ("select", .select),
        ("textarea", .textarea), ("label", .label), ("option", .option),
        ("fieldset", .fieldset), ("nav", .nav), ("aside", .aside), ("footer", .footer),
        ("header", .header), ("main", .main), ("article", .article), ("section", .section),
        ("div", .div), ("span", .span), ("p", .p), ("br", .br), ("hr", .hr), ("a", .a),
        ("img", .img), ("picture", .picture), ("source", .source), ("figure", .figure),
        ("figcaption", .figcaption), ("h1", .h1), ("h2", .h2), ("h3", .h3), ("h4", .h4),
        ("h5", .h5), ("h6", .h6), ("ul", .ul), ("ol", .ol), ("li", .li), ("dl", .dl),
        ("dt", .dt), ("dd", .dd), ("blockquote", .blockquote), ("pre", .pre), ("code", .code),
        ("table", .table), ("thead", .thead), ("tbody", .tbody), ("tfoot", .tfoot),
        ("tr", .tr), ("td", .td), ("th", .th), ("caption", .caption), ("em", .em),
        ("strong", .strong), ("b", .b), ("i", .i), ("u", .u), ("s", .s), ("small", .small),
        ("sub", .sub), ("sup", .sup), ("time", .time), ("abbr", .abbr), ("cite", .cite),
        ("q", .q), ("mark", .mark), ("font", .font), ("center", .center),
        ("address", .address), ("details", .details), ("summary", .summary),
        ("dialog", .dialog), ("menu", .menu), ("ins", .ins), ("del", .del), ("wbr", .wbr),
        ("tt", .tt), ("kbd", .kbd), ("var", .var), ("samp", .samp), ("big", .big),
        ("strike", .strike),
    ]

    /// Open addressing over the packed keys (`slots` entries, at most half full): cheaper per
    /// element than a `Dictionary`, which hashes with SipHash.
    private static let slots = 256
    private static let lookupTable: (keys: [UInt64], tags: [HTMLTag]) = {
        var keys = [UInt64](repeating: 0, count: slots)
        var tags = [HTMLTag](repeating: .other, count: slots)
        for (name, tag) in names {
            let key = Array(name.utf8).withUnsafeBufferPointer { packedKey($0) }
            var slot = slot(for: key)
            while keys[slot] != 0 {
                precondition(keys[slot] != key, "tag key collision: \(name)")
                slot = (slot + 1) & (slots - 1)
            }
            keys[slot] = key
            tags[slot] = tag
        }
        return (keys, tags)
    }()

    private static func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 56) & (slots - 1)
    }

    /// The first seven bytes and the length, in one integer.
    private static func packedKey(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var key = UInt64(min(bytes.count, 255)) << 56
        for index in 0..<min(bytes.count, 7) { key |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        return key
    }

    /// The tag for a lower-case element name.
    static func lookup(_ name: UnsafeBufferPointer<UInt8>) -> HTMLTag {
        guard name.count <= 10, !name.isEmpty else { return .other }
        let key = packedKey(name)
        let table = Self.lookupTable
        var slot = slot(for: key)
        while table.keys[slot] != 0 {
            if table.keys[slot] == key { return table.tags[slot] }
            slot = (slot + 1) & (slots - 1)
        }
        return .other
    }

    /// Block-level: starts a new block of text when serialised.
    var isBlock: Bool {
        switch self {
        case .html, .body, .nav, .aside, .footer, .header, .main, .article, .section, .div, .p,
            .hr, .figure, .figcaption, .h1, .h2, .h3, .h4, .h5, .h6, .ul, .ol, .li, .dl, .dt,
            .dd, .blockquote, .pre, .table, .thead, .tbody, .tfoot, .tr, .td, .th, .caption,
            .center, .address, .details, .summary, .dialog, .menu, .form, .fieldset, .title,
            .head, .picture, .video, .audio, .iframe, .object, .canvas, .option, .select,
            .textarea, .noscript, .template:
            return true
        default:
            return false
        }
    }

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: return true
        default: return false
        }
    }
}
