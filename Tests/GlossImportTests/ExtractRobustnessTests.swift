import Foundation
import Testing

@testable import GlossImport

/// Hostile input never crashes or hangs the extractor. Each page gets a generous elapsed-time
/// bound (a hang detector, not a performance test: `make bench` measures speed). Every input
/// here extracts in well under a second in a release build; unoptimised debug builds run this
/// code 10–30× slower on a shared machine, so they get a proportionally larger bound.
@Suite struct ExtractRobustnessTests {
    #if DEBUG
        static let bound: Duration = .seconds(60)
    #else
        static let bound: Duration = .seconds(2)
    #endif

    static func extractWithinBound(_ html: String) throws -> ExtractedArticle {
        let clock = ContinuousClock()
        var article: ExtractedArticle?
        let elapsed = try clock.measure { article = try Extractor.extract(html: html, url: URL(string: "https://x.example/")) }
        #expect(elapsed < bound, "took \(elapsed)")
        return try #require(article)
    }

    static let paragraph = "<p>A paragraph of ordinary prose, long enough to be scored, with commas, clauses and a full stop.</p>"

    @Test func emptyInput() throws {
        let article = try Self.extractWithinBound("")
        #expect(article.text.isEmpty)
        #expect(article.contentHTML.isEmpty)
    }

    @Test func truncatedPages() throws {
        let sample = String(decoding: try ExtractFixtures.sample("japan-asean-soft-diplomacy.html"), as: UTF8.self)
        for fraction in [0.1, 0.33, 0.5, 0.77, 0.95] {
            let cut = String(sample.utf8.prefix(Int(Double(sample.utf8.count) * fraction)))
            _ = try Self.extractWithinBound(cut ?? "")
        }
        let half = try Self.extractWithinBound(String(sample.prefix(sample.count * 2 / 3)))
        #expect(half.text.hasPrefix("The Association of Southeast Asian Nations"))
    }

    @Test func binaryGarbage() throws {
        var generator = SplitMix(seed: 42)
        let bytes = (0..<1_000_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        _ = try Self.extractWithinBound(String(decoding: bytes, as: UTF8.self))
    }

    @Test func deepNesting() throws {
        let depth = 100_000
        for (open, close) in [("<div>", "</div>"), ("<span>", "</span>"), ("<b><p>", ""), ("<table><tr><td>", ""), ("<ul><li>", "")] {
            let html = String(repeating: open, count: depth) + Self.paragraph + String(repeating: close, count: depth)
            _ = try Self.extractWithinBound(html)
        }
    }

    @Test func megabyteAttributes() throws {
        let huge = String(repeating: "a", count: 1_500_000)
        let html = "<div class=\"\(huge)\" id=\"\(huge)\"><a href=\"data:text/plain,\(huge)\">x</a><img src=\"\(huge)\">\(Self.paragraph)\(Self.paragraph)</div>"
        let article = try Self.extractWithinBound(html)
        #expect(article.text.contains("ordinary prose"))
        #expect(!article.contentHTML.contains(huge))
    }

    @Test func attributeFlood() throws {
        let attributes = (0..<60_000).map { "a\($0)=\"v\"" }.joined(separator: " ")
        let article = try Self.extractWithinBound("<div \(attributes)>\(Self.paragraph)</div>")
        #expect(article.text.contains("ordinary prose"))
    }

    @Test func invalidUTF8() throws {
        var bytes = Array("<html><body><article>".utf8)
        for _ in 0..<3 { bytes += Array(Self.paragraph.utf8) + [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, 0xED, 0xA0, 0x80] }
        bytes += Array("</article></body></html>".utf8)
        let article = try Self.extractWithinBound(String(decoding: bytes, as: UTF8.self))
        #expect(article.text.contains("ordinary prose"))
    }

    @Test func manyTinyElements() throws {
        let html = "<body>" + String(repeating: "<a href=\"/x\">x</a><br>", count: 20_000) + Self.paragraph + "</body>"
        _ = try Self.extractWithinBound(html)
    }
}

/// A small deterministic generator for test input.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
