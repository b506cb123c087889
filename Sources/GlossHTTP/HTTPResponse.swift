import Foundation

/// A completed HTTP exchange. After redirects, `headers` and `status` are the final response's
/// and `url` is where it came from.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// The URL of the final response, after any redirects.
    public var url: URL

    public init(status: Int, headers: HTTPHeaders, body: Data, url: URL) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }

    /// The media type of `Content-Type`, lowercased, without parameters (`text/html`).
    public var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first.map(String.init) ?? value
        let trimmed = type.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The `charset` parameter of `Content-Type`, unquoted; `nil` when absent.
    public var charset: String? {
        guard let value = headers["Content-Type"] else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2,
                pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset"
            else { continue }
            let charset = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            return charset.isEmpty ? nil : charset
        }
        return nil
    }

    /// Returns `self` when the status is below 400; otherwise throws the matching `HTTPError`
    /// (`404 Not Found fetching … (check the address)`).
    @discardableResult
    public func requireSuccess() throws(HTTPError) -> HTTPResponse {
        if status >= 400 { throw HTTPError.status(status, url: url.absoluteString) }
        return self
    }
}
