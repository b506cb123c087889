import Foundation
import Testing

/// `gloss import` and the reading commands, run as the built binary against pages served on
/// loopback (issue 3 acceptance).
@Suite struct ImportCLITests {
    static let samplePath = "/commentary/2024/08/08/japan/japan-asean-soft-diplomacy/"
    static let sampleHTML = try! Data(contentsOf: GlossBinary.fixtures.appendingPathComponent("samples/japan-asean-soft-diplomacy.html"))
    nonisolated(unsafe) static let expected: [String: Any] = {
        let data = try! Data(contentsOf: GlossBinary.fixtures.appendingPathComponent("samples/japan-asean-soft-diplomacy.expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()

    static func page(_ title: String, _ paragraphs: [String]) -> Data {
        let body = paragraphs.map { "<p>\($0)</p>" }.joined(separator: "\n")
        return Data("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>\(title)</title></head>
            <body><article><h1>\(title)</h1>\(body)</article></body></html>
            """.utf8)
    }

    static let secondPage = page("A second article on soft power", [
        "Soft power is the ability to shape the preferences of others through appeal and attraction rather than coercion or payment.",
        "Cultural exchange, education and development aid have long been the instruments of this approach in Southeast Asia.",
        "Critics argue that such influence is hard to measure and slow to show results, yet it tends to outlast hard power.",
    ])

    static func server() throws -> LoopbackServer {
        try LoopbackServer(routes: [
            samplePath: .raw(LoopbackServer.response(
                headers: [("Content-Type", "text/html; charset=utf-8")], body: sampleHTML)),
            "/second": .raw(LoopbackServer.response(headers: [("Content-Type", "text/html")], body: secondPage)),
            "/moved": .raw(LoopbackServer.redirect("/second", status: 301)),
            "/to-file": .raw(LoopbackServer.redirect("file:///etc/passwd")),
            "/huge": .endlessChunks(contentType: "text/html", chunkSize: 64 * 1024),
            "/pdf": .raw(LoopbackServer.response(headers: [("Content-Type", "application/pdf")], body: Data("%PDF-1.7".utf8))),
        ])
    }

    func run(_ args: [String], _ home: URL, stdin: String? = nil) throws -> GlossResult {
        try GlossBinary.run(args, home: home, stdin: stdin)
    }

    func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    func articleCount(_ home: URL) throws -> Int {
        let listed = try run(["list", "--json"], home)
        #expect(listed.status == 0, "\(listed.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [Any]).count
    }

    // MARK: The sample page

    @Test func importsTheSamplePageByURL() throws {
        let server = try Self.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome()
        let url = server.url(Self.samplePath).absoluteString
        let imported = try run(["import", url, "--tag", "asean", "--json"], home)
        #expect(imported.status == 0, "\(imported.stderr)")
        let article = try #require(try lines(imported.stdout).first)
        #expect(Set(article.keys).isSuperset(of: [
            "source", "id", "url", "canonicalUrl", "title", "byline", "siteName", "published", "language",
            "excerpt", "wordCount", "text",
        ]))
        #expect(article["source"] as? String == url)
        #expect((article["id"] as? String)?.count == 36)
        #expect(article["url"] as? String == url)

        // Extraction (the extractor's part of the acceptance).
        let expected = Self.expected
        #expect(article["title"] as? String == expected["title"] as? String)
        #expect(article["byline"] as? String == "Stephen R. Nagy")
        #expect(article["siteName"] as? String == expected["site_name"] as? String)
        #expect((article["published"] as? String)?.hasPrefix("2024-08-08") == true)
        #expect(article["language"] as? String == expected["language"] as? String)
        let text = article["text"] as? String ?? ""
        let paragraphs = Set(text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        for paragraph in expected["body_paragraphs"] as? [String] ?? [] {
            #expect(paragraphs.contains(paragraph), "missing paragraph: \(paragraph.prefix(60))…")
        }
        for banned in expected["must_not_contain"] as? [String] ?? [] {
            #expect(!text.contains(banned), "\(banned) leaked into the text")
        }

        // The stored article, as list and show give it.
        let id = try #require(article["id"] as? String)
        let listed = try run(["list", "--json"], home)
        let all = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(all.count == 1)
        #expect(Set(all[0].keys) == [
            "id", "url", "canonicalUrl", "title", "byline", "siteName", "published", "language", "excerpt",
            "wordCount", "tags", "read", "archived", "createdAt",
        ])
        #expect(all[0]["tags"] as? [String] == ["asean"])
        #expect(all[0]["read"] as? Bool == false)
        let shown = try run(["show", String(id.prefix(8)), "--json"], home)
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(detail["text"] as? String == text)
        #expect((detail["notes"] as? [Any])?.isEmpty == true)

        // Importing again changes nothing and says so.
        let again = try run(["import", url], home)
        #expect(again.status == 0)
        #expect(again.stdout.contains("unchanged"))
        #expect(again.stdout.contains("already in the library"))
        #expect(try articleCount(home) == 1)
    }

    @Test func readShowsANoteAtItsPassage() throws {
        let server = try Self.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome()
        let imported = try run(["import", server.url(Self.samplePath).absoluteString, "--json"], home)
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = try #require(try lines(imported.stdout).first?["id"] as? String)
        let passage = "ASEAN has become a backseat driver"
        let added = try run(["note", "add", "Backseat, not passenger: it can still obstruct.", "--article", id, "--quote", passage], home)
        #expect(added.status == 0, "\(added.stderr)")
        let highlighted = try run(["highlight", id, "Japan also engages the Southeast Asian countries"], home)
        #expect(highlighted.status == 0, "\(highlighted.stderr)")

        let read = try run(["read", id, "--width", "72"], home)
        #expect(read.status == 0, "\(read.stderr)")
        let out = read.stdout
        // The passage is marked (wrapping may break it across lines) and numbered.
        let flat = out.replacingOccurrences(of: "\n", with: " ")
        #expect(flat.contains("«\(passage)»¹"), "\(out)")
        #expect(flat.contains("«Japan also engages the Southeast Asian countries»"))
        // The note's body follows the paragraph holding its passage, before the next paragraph.
        let lines = out.components(separatedBy: "\n")
        let noteLine = try #require(lines.firstIndex { $0.contains("│ ¹ Backseat, not passenger") }, "\(out)")
        let passageLine = try #require(lines.firstIndex { $0.contains("«In many ways") || $0.contains("In many ways, «ASEAN") })
        let nextParagraph = try #require(lines.firstIndex { $0.hasPrefix("To navigate ASEAN") })
        #expect(passageLine < noteLine && noteLine < nextParagraph)
        // Every line fits, except the article's URL, which is never broken.
        let wide = lines.filter { ReadingWidth.columns($0) > 72 && !$0.hasPrefix("http") }
        #expect(wide.isEmpty, "\(wide)")
    }

    @Test func refreshKeepsNotesWhosePassageIsGoneAsOrphans() throws {
        let home = try GlossBinary.temporaryHome()
        let file = home.deletingLastPathComponent().appendingPathComponent("changing.html")
        let first = [
            "The first paragraph talks about regional integration at some length, as such essays do.",
            "The second paragraph holds a sentence that the editors later removed from the page.",
        ]
        try Self.page("A page that changes", first).write(to: file)
        let imported = try run(["import", file.path, "--json"], home)
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = try #require(try lines(imported.stdout).first?["id"] as? String)
        let note = try run(["note", "add", "Why was this cut?", "--article", id, "--quote", "a sentence that the editors later removed"], home)
        #expect(note.status == 0, "\(note.stderr)")

        try Self.page("A page that changes", [first[0], "The second paragraph now says something else entirely, with no trace of the old words."]).write(to: file)
        let refreshed = try run(["import", file.path, "--refresh"], home)
        #expect(refreshed.status == 0)
        #expect(refreshed.stdout.hasPrefix("refreshed"))
        let read = try run(["read", id, "--width", "80"], home)
        let out = read.stdout
        let heading = try #require(out.range(of: "Orphaned notes (their passage is no longer in the article)"), "\(out)")
        let rest = String(out[heading.upperBound...])
        #expect(rest.contains("“a sentence that the editors later removed”"))
        #expect(rest.contains("Why was this cut?"))
        #expect(!out.contains("«"))
    }

    @Test func aPassageNotInTheArticleIsAnError() throws {
        let server = try Self.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome()
        let imported = try run(["import", server.url("/second").absoluteString, "--json"], home)
        let id = try #require(try lines(imported.stdout).first?["id"] as? String)
        let missing = try run(["highlight", id, "words that are nowhere in the article"], home)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("error: the passage \"words that are nowhere in the article\" is not in the article ("))
        let notes = try run(["show", id, "--json"], home)
        let detail = try #require(try JSONSerialization.jsonObject(with: Data(notes.stdout.utf8)) as? [String: Any])
        #expect((detail["notes"] as? [Any])?.isEmpty == true)
    }

    // MARK: Refusals and failures

    @Test func refusesFileURLs() throws {
        let home = try GlossBinary.temporaryHome()
        let refused = try run(["import", "file:///etc/passwd"], home)
        #expect(refused.status == 1)
        #expect(refused.stderr == "error: refused file:///etc/passwd: file: URLs cannot be imported (give the file's path instead, e.g. gloss import ./page.html)\n")
        #expect(try articleCount(home) == 0)
    }

    @Test func badSourcesReportErrorsAndTheRestAreImported() throws {
        let server = try Self.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome()
        let sources = [
            server.url("/missing").absoluteString, "file:///etc/passwd", server.url("/moved").absoluteString,
            server.url("/to-file").absoluteString, server.url("/huge").absoluteString, server.url("/pdf").absoluteString,
            "/nonexistent/page.html", "ftp://127.0.0.1/x.html",
        ]
        let result = try run(["import", "--json"] + sources, home)
        #expect(result.status == 1)
        let objects = try lines(result.stdout)
        #expect(objects.count == sources.count)
        #expect(objects.map { $0["source"] as? String } == sources)
        for (index, object) in objects.enumerated() where index != 2 {
            #expect(Set(object.keys) == ["source", "error"], "\(object)")
        }
        let errors = objects.map { $0["error"] as? String ?? "" }
        #expect(errors[0].hasPrefix("HTTP 404 Not Found from "))
        #expect(errors[1].hasPrefix("refused file:///etc/passwd"))
        #expect(objects[2]["id"] is String)
        #expect(errors[3].contains("refused a redirect from") && errors[3].contains("only http and https URLs are allowed"))
        #expect(errors[4].contains("is larger than 10 MB"))
        #expect(errors[5].hasPrefix("not an HTML page: ") && errors[5].contains("application/pdf"))
        #expect(errors[6].hasPrefix("no such file: /nonexistent/page.html"))
        #expect(errors[7].hasPrefix("refused ftp://"))
        #expect(try articleCount(home) == 1)

        // Without --json: errors on stderr, one per failed source.
        let human = try run(["import", server.url("/pdf").absoluteString], GlossBinary.temporaryHome())
        #expect(human.status == 1)
        #expect(human.stderr.hasPrefix("error: not an HTML page: "))
        #expect(human.stdout.isEmpty)
    }

    @Test func dryRunStoresNothing() throws {
        let server = try Self.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome()
        let dry = try run(["import", "--dry-run", "--json", server.url("/second").absoluteString], home)
        #expect(dry.status == 0, "\(dry.stderr)")
        let object = try #require(try lines(dry.stdout).first)
        #expect(object["id"] == nil)
        #expect(object["source"] as? String == server.url("/second").absoluteString)
        #expect(!FileManager.default.fileExists(atPath: home.path))
        #expect(try articleCount(home) == 0)
    }

    @Test func importsFilesAndStdin() throws {
        let home = try GlossBinary.temporaryHome()
        let file = home.deletingLastPathComponent().appendingPathComponent("page.html")
        try Self.secondPage.write(to: file)
        let fromFile = try run(["import", file.path, "--json"], home)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let fromStdin = try run(["import", "-", "--json"], home, stdin: String(decoding: Self.page("Piped", ["Text arriving on standard input, a paragraph long enough to count."]), as: UTF8.self))
        #expect(fromStdin.status == 0, "\(fromStdin.stderr)")
        #expect(try lines(fromStdin.stdout).first?["source"] as? String == "-")
        #expect(try articleCount(home) == 2)
        let empty = try run(["import", "-"], home, stdin: "")
        #expect(empty.status == 1)
        #expect(empty.stderr == "error: found no article text in standard input (the page may be empty, need JavaScript, or not be an article)\n")
        #expect(try articleCount(home) == 2)
    }

    // MARK: Reading state

    @Test func archiveAndMarkRead() throws {
        let server = try Self.server()
        defer { server.stop() }
        let home = try GlossBinary.temporaryHome()
        let imported = try run(["import", server.url("/second").absoluteString, "--json"], home)
        let id = try #require(try lines(imported.stdout).first?["id"] as? String)
        #expect(try run(["mark-read", id], home).status == 0)
        #expect(try run(["list", "--unread", "--json"], home).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(try run(["mark-read", id, "--undo"], home).status == 0)
        #expect(try articleCount(home) == 1)
        #expect(try run(["archive", id], home).status == 0)
        #expect(try articleCount(home) == 0)
        let archived = try run(["list", "--archived", "--json"], home)
        #expect(archived.stdout.contains(id))
        let unknown = try run(["archive", "ffffffff"], home)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.hasPrefix("error: "))
    }
}

/// Display columns of a line as a terminal shows it (wide CJK characters count two).
enum ReadingWidth {
    static func columns(_ line: String) -> Int {
        line.unicodeScalars.reduce(0) { total, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
                0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFF00...0xFF60, 0xFFE0...0xFFE6:
                return total + 2
            case 0x0300...0x036F: return total
            default: return total + 1
            }
        }
    }
}
