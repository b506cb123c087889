import Foundation

/// Turns a page's bytes into text (DESIGN.md §6). The encoding is chosen, in order, by:
/// a byte-order mark (which, as in the WHATWG encoding standard, outweighs any declaration),
/// the HTTP `charset`, a `<meta charset>` or `http-equiv` declaration in the first 4 KB,
/// UTF-8 validity, and finally windows-1252 (what browsers assume for undeclared legacy pages).
/// Legacy encodings go through glibc's iconv.
public enum TextDecoding {
    /// How the encoding was decided.
    public enum Evidence: String, Sendable {
        case byteOrderMark, http, meta, utf8Sniff, fallback
    }

    /// A decoded page.
    public struct Decoded: Sendable {
        public var text: String
        /// The encoding used, as iconv names it (`UTF-8`, `CP932`, `EUC-JP`, …).
        public var encoding: String
        public var evidence: Evidence
    }

    /// Decodes `bytes`, given the HTTP `charset` parameter if there was one.
    public static func decode(_ bytes: Data, httpCharset: String? = nil) -> Decoded {
        if let (encoding, bomLength) = byteOrderMark(bytes) {
            return Decoded(text: convert(bytes.dropFirst(bomLength), from: encoding), encoding: encoding, evidence: .byteOrderMark)
        }
        if let label = httpCharset, let encoding = encoding(forLabel: label) {
            return Decoded(text: convert(bytes, from: encoding), encoding: encoding, evidence: .http)
        }
        if let label = prescanMeta(bytes.prefix(4096)), var encoding = encoding(forLabel: label) {
            // A page cannot declare UTF-16 in ASCII-compatible bytes; the standard reads it as UTF-8.
            if encoding.hasPrefix("UTF-16") { encoding = "UTF-8" }
            return Decoded(text: convert(bytes, from: encoding), encoding: encoding, evidence: .meta)
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return Decoded(text: text, encoding: "UTF-8", evidence: .utf8Sniff)
        }
        return Decoded(text: convert(bytes, from: "CP1252"), encoding: "CP1252", evidence: .fallback)
    }

    /// The iconv name for a charset label pages use, or `nil` when neither the table nor
    /// iconv knows it. Labels map as the WHATWG encoding standard maps them (e.g. `iso-8859-1`
    /// and `us-ascii` mean windows-1252, `shift_jis` means windows-31j, `gb2312` means GBK).
    public static func encoding(forLabel label: String) -> String? {
        let key = label.trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r\u{0C}\"'"))
            .lowercased()
        guard !key.isEmpty else { return nil }
        if let known = aliases[key] { return known }
        if key.hasPrefix("iso-8859-") || key.hasPrefix("iso8859-") || key.hasPrefix("iso_8859-") {
            let part = key.split(separator: "-").last.map(String.init) ?? ""
            if let number = Int(part), (2...16).contains(number), number != 12 { return "ISO-8859-\(number)" }
        }
        if key.hasPrefix("windows-125"), let digit = key.last, ("0"..."8").contains(digit) { return "CP125\(digit)" }
        if key.hasPrefix("x-cp125"), let digit = key.last, ("0"..."8").contains(digit) { return "CP125\(digit)" }
        // Anything else iconv itself knows (it is stricter about unknown names than browsers).
        guard key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else { return nil }
        return Iconv(from: key.uppercased()) != nil ? key.uppercased() : nil
    }

    private static let aliases: [String: String] = [
        "utf-8": "UTF-8", "utf8": "UTF-8", "unicode-1-1-utf-8": "UTF-8", "x-unicode20utf8": "UTF-8",
        "utf-16": "UTF-16LE", "utf-16le": "UTF-16LE", "utf-16be": "UTF-16BE", "unicode": "UTF-16LE",
        "shift_jis": "CP932", "shift-jis": "CP932", "sjis": "CP932", "x-sjis": "CP932", "ms_kanji": "CP932",
        "ms932": "CP932", "windows-31j": "CP932", "csshiftjis": "CP932", "cp932": "CP932",
        "euc-jp": "EUC-JP", "x-euc-jp": "EUC-JP", "cseucpkdfmtjapanese": "EUC-JP",
        "iso-2022-jp": "ISO-2022-JP", "csiso2022jp": "ISO-2022-JP",
        "gb2312": "GB18030", "gbk": "GB18030", "x-gbk": "GB18030", "gb18030": "GB18030", "cp936": "GB18030",
        "chinese": "GB18030", "csgb2312": "GB18030", "iso-ir-58": "GB18030",
        "big5": "BIG5-HKSCS", "big5-hkscs": "BIG5-HKSCS", "x-x-big5": "BIG5-HKSCS", "cn-big5": "BIG5-HKSCS",
        "csbig5": "BIG5-HKSCS",
        "euc-kr": "CP949", "ks_c_5601-1987": "CP949", "ks_c_5601-1989": "CP949", "windows-949": "CP949",
        "cseuckr": "CP949", "korean": "CP949", "ksc5601": "CP949", "cp949": "CP949",
        "koi8-r": "KOI8-R", "koi8r": "KOI8-R", "koi": "KOI8-R", "koi8": "KOI8-R", "cskoi8r": "KOI8-R",
        "koi8-u": "KOI8-U", "koi8-ru": "KOI8-U",
        "us-ascii": "CP1252", "ascii": "CP1252", "iso-8859-1": "CP1252", "iso8859-1": "CP1252",
        "latin1": "CP1252", "l1": "CP1252", "iso_8859-1": "CP1252", "cp1252": "CP1252", "cp819": "CP1252",
        "iso-8859-9": "CP1254", "latin5": "CP1254", "iso-8859-11": "CP874", "tis-620": "CP874",
        "windows-874": "CP874", "x-mac-cyrillic": "MAC-CYRILLIC", "macintosh": "MACINTOSH",
        "x-mac-roman": "MACINTOSH", "mac": "MACINTOSH",
    ]

    /// `(encoding, length)` of a UTF-8 or UTF-16 byte-order mark at the start.
    static func byteOrderMark(_ bytes: Data) -> (String, Int)? {
        let head = [UInt8](bytes.prefix(3))
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return ("UTF-8", 3) }
        if head.starts(with: [0xFF, 0xFE]) { return ("UTF-16LE", 2) }
        if head.starts(with: [0xFE, 0xFF]) { return ("UTF-16BE", 2) }
        return nil
    }

    static func convert(_ bytes: Data, from encoding: String) -> String {
        if encoding == "UTF-8" { return String(decoding: bytes, as: UTF8.self) }
        guard let iconv = Iconv(from: encoding) else { return String(decoding: bytes, as: UTF8.self) }
        return iconv.decode(Data(bytes))
    }

    /// The charset a `<meta>` tag declares in `head` (a simplified WHATWG prescan: comments
    /// skipped, `charset=` or `http-equiv=content-type` with `content=…charset=…`).
    static func prescanMeta(_ head: Data) -> String? {
        // Bytes as Latin-1 so every byte is one character and ASCII matches exactly.
        let text = String(head.map { Character(Unicode.Scalar($0)) })
        let lower = text.lowercased()
        var index = lower.startIndex
        while let tagStart = lower[index...].firstIndex(of: "<") {
            let rest = lower[tagStart...]
            if rest.hasPrefix("<!--") {
                guard let end = lower.range(of: "-->", range: tagStart..<lower.endIndex) else { return nil }
                index = end.upperBound
                continue
            }
            guard let tagEnd = rest.firstIndex(of: ">") else { return nil }
            index = lower.index(after: tagEnd)
            guard rest.hasPrefix("<meta"),
                let after = rest.dropFirst(5).first, after.isWhitespace || after == "/"
            else { continue }
            let attributes = Self.attributes(String(lower[lower.index(tagStart, offsetBy: 5)..<tagEnd]))
            if let charset = attributes["charset"], !charset.isEmpty { return charset }
            if attributes["http-equiv"] == "content-type", let content = attributes["content"],
                let charset = charsetParameter(content)
            {
                return charset
            }
        }
        return nil
    }

    /// Attributes of a tag's inside (`name=value`, `name="value"`, `name='value'`, `name`).
    static func attributes(_ inside: String) -> [String: String] {
        var result: [String: String] = [:]
        let characters = Array(inside)
        var i = 0
        func skipSpace() { while i < characters.count, characters[i].isWhitespace || characters[i] == "/" { i += 1 } }
        while i < characters.count {
            skipSpace()
            var name = ""
            while i < characters.count, !characters[i].isWhitespace, characters[i] != "=", characters[i] != "/" {
                name.append(characters[i])
                i += 1
            }
            while i < characters.count, characters[i].isWhitespace { i += 1 }
            var value = ""
            if i < characters.count, characters[i] == "=" {
                i += 1
                while i < characters.count, characters[i].isWhitespace { i += 1 }
                if i < characters.count, characters[i] == "\"" || characters[i] == "'" {
                    let quote = characters[i]
                    i += 1
                    while i < characters.count, characters[i] != quote {
                        value.append(characters[i])
                        i += 1
                    }
                    i += 1
                } else {
                    while i < characters.count, !characters[i].isWhitespace {
                        value.append(characters[i])
                        i += 1
                    }
                }
            }
            if !name.isEmpty, result[name] == nil { result[name] = value.trimmingCharacters(in: .whitespaces) }
            if name.isEmpty { i += 1 }
        }
        return result
    }

    /// The `charset=` parameter in a Content-Type value.
    static func charsetParameter(_ content: String) -> String? {
        guard let range = content.range(of: "charset", options: .caseInsensitive) else { return nil }
        var rest = content[range.upperBound...].drop { $0.isWhitespace }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0.isWhitespace || $0 == "\"" || $0 == "'" }
        let value = rest.prefix { !$0.isWhitespace && $0 != ";" && $0 != "\"" && $0 != "'" }
        return value.isEmpty ? nil : String(value)
    }
}
