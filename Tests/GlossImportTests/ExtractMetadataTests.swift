import Foundation
import Testing

@testable import GlossImport

/// One fixture page per metadata source and per known pitfall (Fixtures/metadata/).
@Suite struct ExtractMetadataTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var file: String
        var title: String?
        var byline: String?
        var published: String?
        var siteName: String?
        var language: String?
        var canonical: String?
        var testDescription: String { file }
    }

    static let title = "Ferry terminal opens on the east quay"

    static let cases: [Case] = [
        // Sources.
        Case(file: "jsonld.html", title: title, byline: "Iris Calloway", published: "2023-03-14",
             siteName: "Harbour Gazette", language: "en"),
        Case(file: "opengraph.html", title: title, published: "2022-07-01", siteName: "Harbour Gazette",
             language: "pt", canonical: "https://gazette.example/news/ferry-terminal"),
        Case(file: "meta-tags.html", title: title, byline: "Jane Roe", published: "2021-05-06",
             siteName: "news.example", language: "de",
             canonical: "https://news.example/news/ferry-terminal?ref=home"),
        Case(file: "time-element.html", title: title, published: "2020-06-01", language: "en"),
        Case(file: "visible-byline.html", title: title, byline: "Maria Silva, John Smith", language: "en"),
        // Pitfalls.
        Case(file: "title-suffix.html", title: title, siteName: "The Daily Example"),
        Case(file: "updated-trap.html", title: title, published: "2022-02-01"),
        Case(file: "related-trap.html", title: title, byline: "Ana Pereira", published: "2020-05-20"),
        Case(file: "staff-box.html", title: title, byline: nil),
        Case(file: "bio-glued.html", title: title, byline: "Phil Hensley"),
        Case(file: "date-glued.html", title: title, byline: "Carrie Arnold"),
        Case(file: "placeholder-date.html", title: title, published: "2019-10-10"),
        // 21:50 at UTC−5 is the 20th in UTC; the page's own calendar date is kept.
        Case(file: "offset-kept.html", title: title, published: "2019-11-19"),
    ]

    @Test(arguments: cases) func metadata(_ expected: Case) throws {
        let article = try ExtractFixtures.extract(try ExtractFixtures.page("metadata", expected.file))
        #expect(article.title == expected.title)
        #expect(article.byline == expected.byline)
        if let published = expected.published { #expect(article.published == published) }
        if let siteName = expected.siteName { #expect(article.siteName == siteName) }
        if let language = expected.language { #expect(article.language == language) }
        if let canonical = expected.canonical { #expect(article.canonicalURL == canonical) }
        // Every fixture's body is the same three paragraphs, headline and byline excluded.
        let paragraphs = article.text.components(separatedBy: "\n\n")
        #expect(paragraphs.count == 3)
        #expect(paragraphs.first?.hasPrefix("The harbour authority opened") == true)
    }

    @Test func leadImageAndExcerpt() throws {
        let article = try ExtractFixtures.extract(try ExtractFixtures.page("metadata", "jsonld.html"))
        #expect(article.leadImageURL == "https://news.example/img/terminal.jpg")
        let tagged = try ExtractFixtures.extract(try ExtractFixtures.page("metadata", "opengraph.html"))
        #expect(tagged.excerpt == "The new terminal ends a decade of temporary cabins.")
        #expect(tagged.leadImageURL == "https://gazette.example/img/terminal.jpg")
    }

    @Test(arguments: [
        ("2024-08-08T05:00:00+09:00", "2024-08-08"), ("Aug 8, 2024", "2024-08-08"),
        ("8 August 2024", "2024-08-08"), ("2024/08/08", "2024-08-08"), ("20240808", "2024-08-08"),
        ("2024年8月8日", "2024-08-08"), ("8 de agosto de 2024", "2024-08-08"), ("08.08.2024", "2024-08-08"),
    ])
    func dates(_ input: String, _ expected: String) {
        #expect(DateText.date(input) == expected)
    }

    @Test(arguments: ["0001-01-01T00:00:00Z", "1970-01-01", "not a date", "", "3024-01-01"])
    func rejectedDates(_ input: String) {
        #expect(DateText.date(input) == nil)
    }

    @Test(arguments: [
        ("By Jane Doe", "Jane Doe"), ("BY STEPHEN R. NAGY", "Stephen R. Nagy"),
        ("Jane Doe and John Roe", "Jane Doe, John Roe"), ("Jane Doe, MS; RDN", "Jane Doe"),
        ("@janedoe", nil), ("jdadmin", nil), ("Staff", nil), ("By Staff Reporter", nil),
        ("Carrie ArnoldNovember 15, 2019", "Carrie Arnold"),
        ("Phil Helsel is a reporter for NBC News", "Phil Helsel"),
        ("Jane Doe jane@example.com", "Jane Doe"),
    ] as [(String, String?)])
    func bylines(_ input: String, _ expected: String?) {
        #expect(BylineText.clean(input) == expected)
    }
}
