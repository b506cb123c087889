/// What an element's `class` and `id` say about it, as bit flags.
///
/// Patterns follow Readability's class-weight and "unlikely candidate" lists and trafilatura's
/// body selectors and pruning tokens, plus cues in other languages. Substring patterns match
/// anywhere in the lower-cased `class id`; token patterns must equal a whole token (split on
/// anything that is not a letter or digit, or a hyphenated compound), for short words such as
/// `ad` or `tags`.
struct ClassHints: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    /// Readability's positive weight (article, body, content, entry, main, post, story, text…).
    static let positive = ClassHints(rawValue: 1 << 0)
    /// Readability's negative weight (comment, footer, meta, related, share, sidebar, widget…).
    static let negative = ClassHints(rawValue: 1 << 1)
    /// Boilerplate that is removed with its subtree (share bars, newsletters, related stories,
    /// comments, ads, captions, cookie banners…) unless it also looks like the body.
    static let boilerplate = ClassHints(rawValue: 1 << 2)
    /// The main-body selectors trafilatura tries first (entry-content, article-body…).
    static let articleBody = ClassHints(rawValue: 1 << 3)
    /// Embedded posts (tweets, Instagram) that the body keeps.
    static let embed = ClassHints(rawValue: 1 << 4)
    /// Hidden by a utility class (hidden, sr-only, visually-hidden, d-none).
    static let hidden = ClassHints(rawValue: 1 << 5)
    /// Figure captions and photo credits.
    static let caption = ClassHints(rawValue: 1 << 6)
    /// Bylines, datelines and other article metadata lines.
    static let byline = ClassHints(rawValue: 1 << 7)
    /// Headline and dek (standfirst) of the article.
    static let headline = ClassHints(rawValue: 1 << 8)
    /// Readability's "maybe candidate" words that veto boilerplate removal.
    static let maybeContent = ClassHints(rawValue: 1 << 9)
    /// A teaser or card for another article.
    static let teaser = ClassHints(rawValue: 1 << 10)

    private struct Rule {
        var flag: ClassHints
        var substrings: [String]
        var tokens: [String]
        /// Whole class names (between spaces): `hidden` but not `field-label-hidden`.
        var names: [String] = []
    }

    private static let rules: [Rule] = [
        Rule(
            flag: .positive,
            substrings: [
                "article", "body", "content", "entry", "hentry", "h-entry", "main", "page",
                "post", "text", "blog", "story", "conteudo", "artikel", "articolo", "berita",
                "noticia", "materia", "texto", "기사", "본문",
            ],
            tokens: []),
        Rule(
            flag: .negative,
            substrings: [
                "aside", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead",
                "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar",
                "skyscraper", "sponsor", "shopping", "widget", "taboola", "recommend",
                "popular", "trending", "newsletter", "subscribe", "social", "teaser",
                "relacionad", "leia-tambem", "veja-tambem", "terkait", "correlat", "baca-juga",
            ],
            tokens: ["tags", "tag", "meta", "media", "ad", "ads", "advert", "banner", "nav", "menu"]),
        Rule(
            flag: .boilerplate,
            substrings: [
                "share", "sharing", "social", "newsletter", "subscribe", "signup", "sign-up",
                "related", "recommend", "comment", "disqus", "outbrain", "taboola", "cookie",
                "gdpr", "consent", "breadcrumb", "popular", "trending", "most-read", "mostread",
                "promo", "advert", "sponsor", "sidebar", "widget", "paywall", "pagination",
                "pager", "skip-link", "skiplink", "print-only", "author-bio", "authorbio",
                "about-author", "about-the-author", "read-more", "readmore", "more-stories",
                "morestories", "also-read", "alsoread", "see-also", "leia-tambem",
                "veja-tambem", "relacionad", "terkait", "baca-juga", "correlat",
                "donate", "membership", "login", "modal", "popup", "overlay", "toolbar",
                "byline-share", "follow-us", "followus", "next-article", "prev-next",
                "post-navigation", "post-nav", "topics", "keywords", "tag-list", "taglist",
                "ad-slot", "adslot", "ad-container", "adcontainer", "ad-wrapper", "adwrapper",
                "dfp", "gpt-ad", "google-ad", "banner", "masthead", "site-header", "site-footer",
                "footer", "menu", "navbar", "navigation",
            ],
            tokens: [
                "ad", "ads", "adv", "advert", "advertisement", "tags", "nav", "rss", "print",
                "share", "social", "hide-for-print", "noprint",
            ]),
        Rule(
            flag: .articleBody,
            substrings: [
                "articlebody", "article-body", "article_body", "article__body", "entry-content",
                "entry_content", "post-content", "post_content", "post__content", "post-body",
                "postbody", "post_body", "story-body", "storybody", "story_body",
                "article-content", "article_content", "article__content", "articlecontent",
                "article-text", "articletext", "article_text", "story-content", "storycontent",
                "body-text", "bodytext", "entry-body", "single-content", "post-entry",
                "article-main", "main-content", "maincontent", "content-body", "contentbody",
                "text-content", "news-text", "newstext", "materia-conteudo", "conteudo-materia",
                "texto-materia", "artikel-body", "detail-text", "detail_text", "read__content",
                "itemfulltext", "fulltext", "full-text", "story-text", "storytext",
                "article-detail", "news-body", "newsbody", "article-txt", "content-text",
            ],
            tokens: []),
        Rule(
            flag: .embed,
            substrings: ["twitter-tweet", "instagram-media", "tiktok-embed", "embedded-tweet"],
            tokens: []),
        Rule(
            flag: .hidden,
            substrings: [],
            tokens: [],
            names: [
                "hidden", "hide", "d-none", "invisible", "is-hidden", "sr-only", "visually-hidden",
                "visuallyhidden", "screen-reader-text", "screenreader", "element-invisible",
                "u-hidden", "hidden-xs-up", "off-screen", "offscreen",
            ]),
        Rule(
            flag: .caption,
            substrings: [
                "caption", "credit", "photo-info", "image-info", "img-info", "legend",
                "photographer", "copyright", "legenda",
            ],
            tokens: []),
        Rule(
            flag: .byline,
            substrings: [
                "byline", "author", "dateline", "timestamp", "publish", "posted", "article-date",
                "post-date", "entry-date", "entry-meta", "post-meta", "article-meta",
                "article-info", "story-meta", "autor", "writer", "reporter",
            ],
            tokens: ["date", "meta", "time", "info"]),
        Rule(
            flag: .headline,
            substrings: [
                "headline", "title", "subtitle", "dek", "standfirst", "summary", "kicker",
                "lede", "deck", "subhead", "sub-head", "intro-text", "eyebrow", "abstract", "excerpt",
            ],
            tokens: []),
        Rule(
            flag: .maybeContent,
            substrings: ["and", "article", "body", "column", "content", "main", "shadow"],
            tokens: []),
        Rule(
            flag: .teaser,
            substrings: [
                "teaser", "card", "tease", "promo", "related", "recirc", "more-", "story-list",
                "storylist", "headlines",
            ],
            tokens: []),
    ]

    private struct Pattern {
        /// Range of the pattern in `Table.bytes`.
        var start: Int32
        var length: Int32
        var flag: ClassHints
        /// 0: anywhere; 1: a whole token (no letter or digit around it); 2: a whole class
        /// name (nothing but whitespace around it).
        var kind: UInt8
    }

    /// Every pattern in one flat byte array, grouped by its first two bytes, so one pass over
    /// the value checks them all without allocating or reference counting: `row[first]` is
    /// the first byte's row (0 when no pattern starts with it), `group[row * 256 + second]`
    /// the bigram's group (0 for none), whose patterns are `patterns[groupStart[g] ..<
    /// groupStart[g + 1]]`.
    private struct Table {
        var bytes: [UInt8] = []
        var patterns: [Pattern] = []
        var row = [UInt16](repeating: 0, count: 256)
        var group: [UInt16] = []
        var groupStart: [Int32] = []

        init(_ rules: [Rule]) {
            var grouped: [Int: [(bytes: [UInt8], flag: ClassHints, kind: UInt8)]] = [:]
            for rule in rules {
                for (list, kind) in [(rule.substrings, UInt8(0)), (rule.tokens, 1), (rule.names, 2)] {
                    for text in list {
                        let bytes = Array(text.utf8)
                        guard bytes.count >= 2 else { continue }
                        grouped[Int(bytes[0]) << 8 | Int(bytes[1]), default: []].append((bytes, rule.flag, kind))
                    }
                }
            }
            group = [0]  // row 0: no pattern starts with this byte
            group.append(contentsOf: repeatElement(0, count: 255))
            groupStart = [0, 0]  // group 0 is empty
            for key in grouped.keys.sorted() {
                let first = key >> 8
                if row[first] == 0 {
                    row[first] = UInt16(group.count / 256)
                    group.append(contentsOf: repeatElement(0, count: 256))
                }
                group[Int(row[first]) * 256 + (key & 0xFF)] = UInt16(groupStart.count - 1)
                for entry in grouped[key] ?? [] {
                    patterns.append(
                        Pattern(
                            start: Int32(bytes.count), length: Int32(entry.bytes.count), flag: entry.flag,
                            kind: entry.kind))
                    bytes.append(contentsOf: entry.bytes)
                }
                groupStart.append(Int32(patterns.count))
            }
        }
    }

    private static let table = Table(rules)

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
    }

    fileprivate static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// Values longer than this are classified by their start only.
    static let maximumValueBytes = 512

    /// `raw` (a `class` or `id` value) as it is matched, in a temporary buffer: ASCII
    /// lower-cased, digits ignored (`post-123` reads as `post-`: no pattern has digits), cut at
    /// `maximumValueBytes`.
    private static func withLowered(
        _ raw: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> ClassHints
    ) -> ClassHints {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumValueBytes) { buffer in
            var count = 0
            for byte in raw where byte < 0x30 || byte > 0x39 {
                guard count < maximumValueBytes else { break }
                buffer[count] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                count += 1
            }
            return body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// Class/id values already classified, and their whitespace-separated tokens: values
    /// repeat a lot on a page (`row col-md-8` on every item), and the tokens of the values that
    /// do not (`post post-123 category-news`) repeat even more. A value's flags are the union
    /// of its tokens' flags, because no pattern holds whitespace and whitespace is a boundary
    /// for whole-token and whole-name patterns alike.
    ///
    /// Both tables are keyed by a 64-bit FNV-1a hash, open addressing, at most half full;
    /// beyond that, values are classified each time. No allocation after `init`.
    struct Cache {
        private static let capacity = 4096
        private var values = Table(capacity: capacity)
        private var tokens = Table(capacity: capacity)

        private struct Table {
            var keys: [UInt64]
            var flags: [ClassHints]
            var used = 0
            init(capacity: Int) {
                keys = Array(repeating: 0, count: capacity)
                flags = Array(repeating: [], count: capacity)
            }

            /// The cached flags of `key`, or the slot where they go.
            func find(_ key: UInt64) -> (flags: ClassHints?, slot: Int) {
                let mask = keys.count - 1
                var slot = Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
                while keys[slot] != 0 {
                    if keys[slot] == key { return (flags[slot], slot) }
                    slot = (slot + 1) & mask
                }
                return (nil, slot)
            }

            mutating func insert(_ key: UInt64, _ value: ClassHints, at slot: Int) {
                guard used < keys.count / 2 else { return }
                keys[slot] = key
                flags[slot] = value
                used += 1
            }
        }

        private static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
            var key: UInt64 = 0xcbf2_9ce4_8422_2325
            var count: UInt64 = 0
            for byte in bytes {
                key = (key ^ UInt64(byte)) &* 0x100_0000_01b3
                count += 1
            }
            key ^= count << 56
            return key == 0 ? 1 : key
        }

        /// Flags of one raw `class` or `id` value. No allocation.
        mutating func hints(_ raw: UnsafeBufferPointer<UInt8>) -> ClassHints {
            // Digits never matter, so `post-123` and `post-456` share an entry.
            let key = Self.hash(raw.lazy.filter { $0 < 0x30 || $0 > 0x39 })
            let found = values.find(key)
            if let flags = found.flags { return flags }
            let computed = ClassHints.withLowered(raw) { lowered in
                var flags: ClassHints = []
                var start = 0
                while start < lowered.count {
                    while start < lowered.count && ClassHints.isSpace(lowered[start]) { start += 1 }
                    var end = start
                    while end < lowered.count && !ClassHints.isSpace(lowered[end]) { end += 1 }
                    if end > start {
                        let token = UnsafeBufferPointer(rebasing: lowered[start..<end])
                        let tokenKey = Self.hash(token)
                        let cached = tokens.find(tokenKey)
                        if let tokenFlags = cached.flags {
                            flags.formUnion(tokenFlags)
                        } else {
                            let tokenFlags = ClassHints.classifyLowered(token)
                            tokens.insert(tokenKey, tokenFlags, at: cached.slot)
                            flags.formUnion(tokenFlags)
                        }
                    }
                    start = end
                }
                return flags
            }
            values.insert(key, computed, at: found.slot)
            return computed
        }
    }

    /// Flags for one token or value that is already lower-cased and without digits: one pass
    /// over its bytes, patterns looked up by each position's first two bytes.
    fileprivate static func classifyLowered(_ lowered: UnsafeBufferPointer<UInt8>) -> ClassHints {
        var flags: ClassHints = []
        let count = lowered.count
        guard count >= 2 else { return flags }
        let table = Self.table
        return table.row.withUnsafeBufferPointer { row in
            table.group.withUnsafeBufferPointer { group in
                table.groupStart.withUnsafeBufferPointer { groupStart in
                    table.patterns.withUnsafeBufferPointer { patterns in
                        table.bytes.withUnsafeBufferPointer { bytes in
                            for start in 0..<(count - 1) {
                                let first = Int(row[Int(lowered[start])])
                                if first == 0 { continue }
                                let slot = Int(group[first << 8 | Int(lowered[start + 1])])
                                if slot == 0 { continue }
                                for patternIndex in Int(groupStart[slot])..<Int(groupStart[slot + 1]) {
                                    let pattern = patterns[patternIndex]
                                    if flags.contains(pattern.flag) { continue }
                                    let length = Int(pattern.length)
                                    let stop = start + length
                                    guard stop <= count else { continue }
                                    let base = Int(pattern.start)
                                    var offset = 2
                                    while offset < length && lowered[start + offset] == bytes[base + offset] {
                                        offset += 1
                                    }
                                    guard offset == length else { continue }
                                    if pattern.kind == 1 {
                                        if start > 0 && isWordByte(lowered[start - 1]) { continue }
                                        if stop < count && isWordByte(lowered[stop]) { continue }
                                    } else if pattern.kind == 2 {
                                        if start > 0 && !isSpace(lowered[start - 1]) { continue }
                                        if stop < count && !isSpace(lowered[stop]) { continue }
                                    }
                                    flags.insert(pattern.flag)
                                }
                            }
                            return flags
                        }
                    }
                }
            }
        }
    }
}
