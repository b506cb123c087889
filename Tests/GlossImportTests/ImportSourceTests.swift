import Foundation
import Testing

@testable import GlossImport

@Suite struct ImportSourceTests {
    @Test func acceptsWebURLsFilesAndStdin() throws {
        #expect(try ImportSource(parsing: "https://example.com/a?b=1") == .web(URL(string: "https://example.com/a?b=1")!))
        #expect(try ImportSource(parsing: "HTTP://example.com/") == .web(URL(string: "HTTP://example.com/")!))
        #expect(try ImportSource(parsing: "-") == .standardInput)
        #expect(try ImportSource(parsing: "./page.html") == .file(path: "./page.html"))
        #expect(try ImportSource(parsing: "/tmp/x.html") == .file(path: "/tmp/x.html"))
    }

    @Test(arguments: [
        ("file:///etc/passwd", "refused file:///etc/passwd: file: URLs cannot be imported (give the file's path instead, e.g. gloss import ./page.html)"),
        ("ftp://example.com/a.html", "refused ftp://example.com/a.html: ftp: URLs cannot be imported (only http and https URLs, file paths and - (stdin) are accepted)"),
        ("data:text/html,<p>x</p>", "refused data:text/html,<p>x</p>: data: URLs cannot be imported (only http and https URLs, file paths and - (stdin) are accepted)"),
        ("javascript:alert(1)", "refused javascript:alert(1): javascript: URLs cannot be imported (only http and https URLs, file paths and - (stdin) are accepted)"),
        ("https://", "not a valid URL: https:// (check the address, e.g. https://example.com/article)"),
    ])
    func refusesOtherSources(_ argument: String, _ message: String) {
        #expect {
            _ = try ImportSource(parsing: argument)
        } throws: { error in
            (error as? ImportError)?.description == message
                && (error as? ImportError)?.kind == .unsupportedSource
        }
    }
}
