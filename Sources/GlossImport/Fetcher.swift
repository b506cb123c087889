import Foundation
import GlossHTTP

/// Fetches a web page for import: http(s) only (also on redirects), at most 10 redirects,
/// connect and total timeouts, a 10 MB cap enforced while streaming, gzip/deflate; the page
/// must be HTML (DESIGN.md §6).
public struct Fetcher: Sendable {
    /// A fetched page, not yet decoded.
    public struct Page: Sendable {
        /// Where the page finally came from, after redirects.
        public var url: URL
        public var body: Data
        /// `text/html`, lowercased; `nil` when the server did not say.
        public var mediaType: String?
        /// The `charset` parameter of Content-Type, if any.
        public var charset: String?
    }

    public var options: HTTPOptions

    /// Import's limits: 10 redirects, 10 s to connect, 30 s in all, 10 MB.
    public init(options: HTTPOptions = HTTPOptions()) {
        self.options = options
    }

    /// Media types accepted as HTML.
    static let htmlTypes: Set<String> = ["text/html", "application/xhtml+xml"]

    /// GETs `url` and checks that it is a successful HTML response.
    /// - Throws: `ImportError` — `.fetch` (carrying the `HTTPError`, 4xx/5xx included),
    ///   `.tooLarge`, or `.notHTML`.
    public func fetch(_ url: URL) async throws(ImportError) -> Page {
        var headers = HTTPHeaders()
        headers.add(name: "Accept", value: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        let response: HTTPResponse
        do {
            response = try await HTTPClient(options: options).get(url, headers: headers)
            try response.requireSuccess()
        } catch {
            throw ImportError(error)
        }
        let page = Page(url: response.url, body: response.body, mediaType: response.mediaType, charset: response.charset)
        if let type = page.mediaType, !Fetcher.htmlTypes.contains(type) {
            throw ImportError.notHTML(response.url.absoluteString, reason: "it is \(type)")
        }
        if page.mediaType == nil, Fetcher.looksBinary(page.body) {
            throw ImportError.notHTML(response.url.absoluteString, reason: "it looks like binary data")
        }
        return page
    }

    /// True when the first kilobyte holds a NUL byte and no UTF-16 byte-order mark: no HTML
    /// page looks like that.
    static func looksBinary(_ bytes: Data) -> Bool {
        guard TextDecoding.byteOrderMark(bytes) == nil else { return false }
        return bytes.prefix(1024).contains(0)
    }
}

extension ImportError {
    static func notHTML(_ source: String, reason: String) -> ImportError {
        ImportError(
            kind: .notHTML, message: "not an HTML page: \(source) (\(reason))",
            hint: "only HTML pages can be imported for now")
    }
}
