import Foundation
import Testing

@testable import GlossImport

/// The product sample page must extract exactly as its expected JSON says.
@Suite struct ExtractSampleTests {
    struct Expected: Decodable {
        var url: String
        var title: String
        var byline: String
        var site_name: String
        var published: String
        var language: String
        var body_paragraphs: [String]
        var must_not_contain: [String]
    }

    let expected: Expected
    let article: ExtractedArticle

    init() throws {
        expected = try JSONDecoder().decode(
            Expected.self, from: try ExtractFixtures.sample("japan-asean-soft-diplomacy.expected.json"))
        let html = String(decoding: try ExtractFixtures.sample("japan-asean-soft-diplomacy.html"), as: UTF8.self)
        article = try Extractor.extract(html: html, url: URL(string: expected.url))
    }

    @Test func metadataMatches() {
        #expect(article.title == expected.title)
        #expect(article.byline == expected.byline)
        #expect(article.siteName == expected.site_name)
        #expect(article.published == expected.published)
        #expect(article.language == expected.language)
        #expect(article.canonicalURL == expected.url)
        #expect(article.leadImageURL == "https://www.japantimes.co.jp/uploads/imported_images/asean-japan-2024.jpg")
    }

    @Test func everyBodyParagraphInOrder() {
        #expect(article.text.components(separatedBy: "\n\n") == expected.body_paragraphs)
    }

    @Test func noBoilerplate() {
        for phrase in expected.must_not_contain {
            #expect(!article.text.contains(phrase), "text contains \(phrase)")
            #expect(!article.contentHTML.contains(phrase), "HTML contains \(phrase)")
        }
    }

    @Test func contentHTMLIsSanitizedAndAbsolute() {
        #expect(article.contentHTML.hasPrefix("<p>The Association of Southeast Asian Nations"))
        #expect(article.contentHTML.contains("<a href=\"https://example.org/asymmetric-interdependence\">"))
        #expect(!article.contentHTML.contains("<script"))
        #expect(!article.contentHTML.contains("<form"))
        #expect(article.wordCount > 900 && article.wordCount < 1100)
    }
}
