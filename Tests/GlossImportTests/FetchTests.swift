import Foundation
import GlossHTTP
import Testing

@testable import GlossImport

/// The import pipeline over a real loopback server: every failure is an `ImportError` with a
/// message a user can act on.
@Suite struct FetchTests {
    func load(_ url: URL, options: HTTPOptions = HTTPOptions()) async -> Result<Importer.Result, ImportError> {
        do throws(ImportError) {
            return .success(try await Importer(fetcher: Fetcher(options: options)).load(.web(url)))
        } catch {
            return .failure(error)
        }
    }

    func error(_ result: Result<Importer.Result, ImportError>) -> ImportError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test func decodesShiftJISDeclaredInMeta() async throws {
        let page = "<html><head><meta charset=\"Shift_JIS\"><title>日本の外交</title></head><body><p>ソフト外交の本文です。</p></body></html>"
        let server = try LoopbackServer(routes: [
            "/sjis": .raw(LoopbackServer.response(headers: [("Content-Type", "text/html")], body: try encode(page, "SHIFT_JIS")))
        ])
        defer { server.stop() }
        let fetched = try await Fetcher().fetch(server.url("/sjis"))
        #expect(TextDecoding.decode(fetched.body, httpCharset: fetched.charset).text == page)
        let result = try await load(server.url("/sjis")).get()
        #expect(result.encoding == "CP932")
        #expect(result.article.title == "日本の外交")
        #expect(result.article.text.contains("ソフト外交の本文です。"))
    }

    @Test func decodesEUCJPDeclaredByHTTP() async throws {
        let page = "<html><head><title>東京都の会議</title></head><body><p>会議は明日です。</p></body></html>"
        let server = try LoopbackServer(routes: [
            "/eucjp": .raw(LoopbackServer.response(
                headers: [("Content-Type", "text/html; charset=EUC-JP")], body: try encode(page, "EUC-JP")))
        ])
        defer { server.stop() }
        let fetched = try await Fetcher().fetch(server.url("/eucjp"))
        #expect(fetched.charset == "EUC-JP")
        #expect(TextDecoding.decode(fetched.body, httpCharset: fetched.charset).text == page)
        let result = try await load(server.url("/eucjp")).get()
        #expect(result.encoding == "EUC-JP")
        #expect(result.article.title == "東京都の会議")
        #expect(result.article.text.contains("会議は明日です。"))
    }

    @Test func decodesGzip() async throws {
        let page = "<html><body><p>\(String(repeating: "Compressed words. ", count: 400))</p></body></html>"
        let server = try LoopbackServer(routes: [
            "/gz": .raw(LoopbackServer.response(
                headers: [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")],
                body: try LoopbackServer.gzip(Data(page.utf8))))
        ])
        defer { server.stop() }
        let fetched = try await Fetcher().fetch(server.url("/gz"))
        #expect(String(decoding: fetched.body, as: UTF8.self) == page)
    }

    @Test func followsRedirects() async throws {
        let server = try LoopbackServer(routes: [
            "/a": .raw(LoopbackServer.redirect("/b", status: 301)),
            "/b": .raw(LoopbackServer.redirect("/c", status: 307)),
            "/c": .raw(LoopbackServer.response(headers: [("Content-Type", "text/html")], body: Data("<p>here</p>".utf8))),
        ])
        defer { server.stop() }
        let result = try await load(server.url("/a")).get()
        #expect(result.location == server.url("/c"))
    }

    @Test func refusesARedirectToFile() async throws {
        let server = try LoopbackServer(routes: ["/r": .raw(LoopbackServer.redirect("file:///etc/passwd"))])
        defer { server.stop() }
        let failure = try #require(error(await load(server.url("/r"))))
        #expect(failure.kind == .fetch)
        #expect(failure.http?.kind == .protocolRefused)
        #expect(failure.description == "refused a redirect from \(server.url("/r").absoluteString) to file:///etc/passwd (only http and https URLs are allowed)")
    }

    @Test func refusesAStreamOverTheCap() async throws {
        let server = try LoopbackServer(routes: ["/huge": .endlessChunks(contentType: "text/html", chunkSize: 64 * 1024)])
        defer { server.stop() }
        let failure = try #require(error(await load(server.url("/huge"))))
        #expect(failure.kind == .tooLarge)
        #expect(failure.description == "the response from \(server.url("/huge").absoluteString) is larger than 10 MB (that is too large to import)")
    }

    @Test func timesOut() async throws {
        let server = try LoopbackServer(routes: ["/slow": .stall])
        defer { server.stop() }
        var options = HTTPOptions()
        options.timeout = 0.5
        let failure = try #require(error(await load(server.url("/slow"), options: options)))
        #expect(failure.http?.kind == .timeout)
        #expect(failure.description.hasPrefix("timed out after 0.5 s fetching"))
    }

    @Test func reportsA404() async throws {
        let server = try LoopbackServer(routes: [:])
        defer { server.stop() }
        let failure = try #require(error(await load(server.url("/gone"))))
        #expect(failure.http?.status == 404)
        #expect(failure.description.hasPrefix("HTTP 404 Not Found from \(server.url("/gone").absoluteString) (check the address"))
    }

    @Test(arguments: ["application/pdf", "image/png", "application/json", "text/plain; charset=utf-8"])
    func refusesNonHTML(_ type: String) async throws {
        let server = try LoopbackServer(routes: [
            "/doc": .raw(LoopbackServer.response(headers: [("Content-Type", type)], body: Data("%PDF-1.7".utf8)))
        ])
        defer { server.stop() }
        let failure = try #require(error(await load(server.url("/doc"))))
        #expect(failure.kind == .notHTML)
        let media = type.split(separator: ";")[0]
        #expect(failure.description == "not an HTML page: \(server.url("/doc").absoluteString) (it is \(media)) (only HTML pages can be imported for now)")
    }

    @Test func readsFilesAndStdin() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gloss-import-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("page.html")
        try encode("<meta charset=euc-jp><p>東京</p>", "EUC-JP").write(to: file)
        let fromFile = try await Importer().load(.file(path: file.path))
        #expect(fromFile.encoding == "EUC-JP")
        let fromStdin = try await Importer().load(.standardInput) { _ in Data("<p>stdin</p>".utf8) }
        #expect(fromStdin.location == nil)

        do throws(ImportError) {
            _ = try await Importer().load(.file(path: folder.appendingPathComponent("missing.html").path))
            Issue.record("read a missing file")
        } catch {
            #expect(error.description.hasPrefix("no such file: "))
        }
        do throws(ImportError) {
            _ = try await Importer().load(.standardInput) { _ in Data() }
            Issue.record("imported an empty page")
        } catch {
            #expect(error.kind == .extraction)
            #expect(error.description == "found no article text in standard input (the page may be empty, need JavaScript, or not be an article)")
        }
        var small = Importer()
        small.maxBytes = 5
        do throws(ImportError) {
            _ = try await small.load(.standardInput) { _ in Data("<p>too long</p>".utf8) }
            Issue.record("read past the cap")
        } catch {
            #expect(error.kind == .tooLarge)
        }
    }
}
