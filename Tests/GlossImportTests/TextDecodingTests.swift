import Foundation
import Testing

@testable import GlossImport

/// Bytes in legacy encodings, made by the system's iconv(1) so the test does not trust the
/// decoder under test.
func encode(_ text: String, _ charset: String) throws -> Data {
    try LoopbackServer.runTool("/usr/bin/iconv", ["-f", "UTF-8", "-t", charset], input: Data(text.utf8))
}

@Suite struct TextDecodingTests {
    static let samples: [(label: String, text: String)] = [
        ("Shift_JIS", "日本とASEANの関係：ソフト外交"),
        ("EUC-JP", "東京都の会議は明日です"),
        ("GBK", "东盟与日本的关系"),
        ("GB18030", "东盟与日本的关系 𠀀"),
        ("Big5", "東協與日本的關係"),
        ("EUC-KR", "아세안과 일본의 관계"),
        ("KOI8-R", "Отношения Японии и АСЕАН"),
        ("ISO-8859-2", "Zażółć gęślą jaźń"),
        ("ISO-8859-7", "Ελληνικά κείμενα"),
        ("windows-1251", "Кириллица в windows-1251"),
        ("windows-1252", "Café “quoted” — naïve"),
        ("ISO-8859-1", "Café crème"),
    ]

    @Test(arguments: samples.map(\.label))
    func decodesFromTheHTTPCharset(_ label: String) throws {
        let text = try #require(Self.samples.first { $0.label == label }).text
        let bytes = try encode("<p>\(text)</p>", label == "ISO-8859-1" ? "ISO-8859-1" : label)
        let decoded = TextDecoding.decode(bytes, httpCharset: label)
        #expect(decoded.text == "<p>\(text)</p>")
        #expect(decoded.evidence == .http)
    }

    @Test(arguments: [
        "<meta charset=\"shift_jis\">", "<meta charset=Shift_JIS>",
        "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">",
        "<meta content='text/html;charset=x-sjis' http-equiv='content-type' />",
    ])
    func decodesFromAMetaDeclaration(_ meta: String) throws {
        let page = "<html><head><!-- <meta charset=utf-8> -->\(meta)<title>外交</title></head><body>日本語の本文</body></html>"
        let decoded = TextDecoding.decode(try encode(page, "SHIFT_JIS"))
        #expect(decoded.text == page)
        #expect(decoded.evidence == .meta)
        #expect(decoded.encoding == "CP932")
    }

    @Test func httpCharsetOutweighsMeta() throws {
        let page = "<meta charset=iso-8859-1><p>東京</p>"
        let decoded = TextDecoding.decode(try encode(page, "EUC-JP"), httpCharset: "euc-jp")
        #expect(decoded.text == page)
    }

    @Test func byteOrderMarkOutweighsDeclarations() throws {
        let page = "<meta charset=windows-1252><p>naïve ✓</p>"
        let decoded = TextDecoding.decode(Data([0xEF, 0xBB, 0xBF]) + Data(page.utf8), httpCharset: "iso-8859-1")
        #expect(decoded.text == page)
        #expect(decoded.evidence == .byteOrderMark)
        let utf16 = try encode(page, "UTF-16LE")
        #expect(TextDecoding.decode(Data([0xFF, 0xFE]) + utf16).text == page)
    }

    @Test func sniffsUTF8AndFallsBackToWindows1252() throws {
        let page = "<p>déjà vu — ✓</p>"
        #expect(TextDecoding.decode(Data(page.utf8)).evidence == .utf8Sniff)
        #expect(TextDecoding.decode(Data(page.utf8)).text == page)
        let legacy = try encode("<p>déjà vu — “ok”</p>", "WINDOWS-1252")
        let decoded = TextDecoding.decode(legacy)
        #expect(decoded.evidence == .fallback)
        #expect(decoded.text == "<p>déjà vu — “ok”</p>")
    }

    @Test func unknownLabelsFallThroughAndInvalidBytesBecomeReplacements() {
        let decoded = TextDecoding.decode(Data("<p>plain</p>".utf8), httpCharset: "no-such-charset")
        #expect(decoded.evidence == .utf8Sniff)
        let broken = TextDecoding.decode(Data([0x93, 0xFA, 0x96]), httpCharset: "Shift_JIS")
        #expect(broken.text == "日\u{FFFD}")
    }
}
