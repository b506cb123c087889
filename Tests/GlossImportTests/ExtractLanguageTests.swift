import Foundation
import Testing

@testable import GlossImport

/// The same article laid out in English, Japanese, Korean, Russian and Portuguese, each with
/// navigation, a byline, a captioned figure, an inline "read also" promo in its language, a
/// related-stories sidebar and a footer (Fixtures/languages/). Each must extract with the
/// English page's quality, by the benchmark's metric.
@Suite struct ExtractLanguageTests {
    static func score(_ code: String) throws -> (f1: Double, article: ExtractedArticle) {
        let html = try ExtractFixtures.page("languages", "\(code).html")
        let truth = try ExtractFixtures.page("languages", "\(code).expected.txt")
        let article = try ExtractFixtures.extract(html)
        return (ShingleScore.f1(predicted: article.text, truth: truth), article)
    }

    @Test func englishBaseline() throws {
        let (f1, article) = try Self.score("en")
        #expect(f1 == 1)
        #expect(article.text.components(separatedBy: "\n\n").count == 4)
    }

    @Test(arguments: ["ja", "ko", "ru", "pt"])
    func sameQualityAsEnglish(_ code: String) throws {
        let english = try Self.score("en").f1
        let (f1, article) = try Self.score(code)
        #expect(f1 >= english - 0.05, "F1 \(f1) for \(code) vs \(english) for English")
        #expect(article.text.components(separatedBy: "\n\n").count == 4)
        #expect(article.language?.hasPrefix(code) == true)
        #expect(article.published == "2024-04-02")
    }

    @Test func japaneseInlineLinksAreSpacedLikeTheBenchmark() throws {
        // html-text puts a space at inline boundaries unless punctuation follows, in CJK too.
        let article = try ExtractFixtures.extract("<article><p>" + String(repeating: "市議会は計画を承認した。", count: 30) + "住民は<a href=\"/v\">投票</a>で選ぶ。</p></article>")
        #expect(article.text.hasSuffix("住民は 投票 で選ぶ。"))
    }
}
