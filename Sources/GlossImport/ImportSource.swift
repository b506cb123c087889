import Foundation

/// Where an article comes from, as given on the command line (DESIGN.md §6): an http(s) URL,
/// a local file path, or `-` for standard input. Every other URL scheme is refused.
public enum ImportSource: Sendable, Hashable {
    case web(URL)
    case file(path: String)
    case standardInput

    /// Parses a command-line source.
    /// - Throws: `ImportError.unsupportedSource` for `file:`, `ftp:`, `data:`… URLs and for
    ///   http(s) URLs without a host.
    public init(parsing argument: String) throws(ImportError) {
        if argument == "-" {
            self = .standardInput
            return
        }
        if let scheme = Self.scheme(of: argument) {
            let lowered = scheme.lowercased()
            guard lowered == "http" || lowered == "https" else {
                // `C:` is not a concern here, but a relative path that happens to contain a
                // colon and exists is still a file.
                if !argument.contains("://"), FileManager.default.fileExists(atPath: argument) {
                    self = .file(path: argument)
                    return
                }
                throw ImportError(
                    kind: .unsupportedSource,
                    message: "refused \(argument): \(lowered): URLs cannot be imported",
                    hint: lowered == "file"
                        ? "give the file's path instead, e.g. gloss import ./page.html"
                        : "only http and https URLs, file paths and - (stdin) are accepted")
            }
            guard let url = URL(string: argument), let host = url.host, !host.isEmpty else {
                throw ImportError(
                    kind: .unsupportedSource, message: "not a valid URL: \(argument)",
                    hint: "check the address, e.g. https://example.com/article")
            }
            self = .web(url)
            return
        }
        self = .file(path: argument)
    }

    /// The URL scheme at the start of `text` (`scheme:` per RFC 3986), if any.
    static func scheme(of text: String) -> String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let candidate = text[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter,
            candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
        else { return nil }
        return String(candidate)
    }
}
