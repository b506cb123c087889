import Foundation
import Testing

@testable import GlossImport

/// contentHTML keeps only the allow-list, with absolute http(s)/mailto links.
@Suite struct ExtractSanitizerTests {
    static let prose = "The harbour authority opened its new ferry terminal on the east quay this week, ending a decade of temporary cabins and queues in the rain for the island commuters who cross every day."

    func extract(_ body: String, head: String = "") throws -> ExtractedArticle {
        let html = "<html><head>\(head)</head><body><article class=\"article-body\"><p>\(Self.prose)</p>\(body)<p>\(Self.prose) Again.</p></article></body></html>"
        return try ExtractFixtures.extract(html, url: "https://news.example/a/b/story.html")
    }

    @Test func dropsActiveContent() throws {
        let article = try extract("""
            <p onclick="steal()" style="color:red" class="x">Readers may press <a href="javascript:alert(1)">here</a> or \
            <a href="/next" onmouseover="x()">next</a>, <script>alert(2)</script><iframe src="https://evil.example"></iframe> \
            <form action="/f"><input name="q"></form><img src="x" onerror="alert(3)"> <b>bold</b> text that is long enough to count as a paragraph here.</p>
            """)
        let html = article.contentHTML
        for forbidden in ["<script", "onclick", "onmouseover", "onerror", "style=", "class=", "javascript:", "<iframe", "<form", "<input", "alert("] {
            #expect(!html.contains(forbidden), "contentHTML contains \(forbidden)")
        }
        #expect(html.contains("<a href=\"https://news.example/next\">next</a>"))
        #expect(html.contains("<b>bold</b>"))
        #expect(html.contains("Readers may press <a>here</a> or"))
    }

    @Test func resolvesAgainstBaseHref() throws {
        let article = try extract(
            "<p>See <a href=\"docs/guide.html\">the guide</a> and <a href=\"mailto:desk@news.example\">the desk</a> and <a href=\"ftp://x.example/f\">ftp</a> for more detail on the terminal project.</p>",
            head: "<base href=\"https://cdn.news.example/base/\">")
        #expect(article.contentHTML.contains("<a href=\"https://cdn.news.example/base/docs/guide.html\">the guide</a>"))
        #expect(article.contentHTML.contains("<a href=\"mailto:desk@news.example\">the desk</a>"))
        #expect(!article.contentHTML.contains("ftp:"))
    }

    @Test func escapesText() throws {
        let article = try extract("<p>Tags like &lt;script&gt; and 5 &lt; 6 &amp; 7 &gt; 2 appear as text in this long enough paragraph about the terminal.</p>")
        #expect(article.contentHTML.contains("&lt;script&gt;"))
        #expect(article.text.contains("<script> and 5 < 6 & 7 > 2"))
    }

    @Test func listsAndHeadingsKeepTheirShape() throws {
        let article = try extract("<h2>What changes</h2><ul><li>Covered walkway along the whole quay</li><li>New ticket machines in the hall</li></ul>")
        #expect(article.contentHTML.contains("<h2>What changes</h2>\n<ul>\n<li>Covered walkway along the whole quay</li>\n<li>New ticket machines in the hall</li>\n</ul>"))
    }
}
