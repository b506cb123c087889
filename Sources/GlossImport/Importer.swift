import Foundation
import GlossHTTP

/// Import's pipeline for one source: read (fetch, file or stdin) → decode → extract. Stores
/// nothing: the caller saves the returned article (DESIGN.md §1: Import returns a value).
public struct Importer: Sendable {
    /// The article and how it was obtained.
    public struct Result: Sendable {
        public var article: ExtractedArticle
        /// Where the bytes finally came from: the URL after redirects; `nil` for stdin; a
        /// `file://` URL for a file.
        public var location: URL?
        /// The encoding the page was decoded from (iconv's name).
        public var encoding: String
    }

    public var fetcher: Fetcher
    /// The most bytes read from a file or stdin (the same cap as the network).
    public var maxBytes: Int

    public init(fetcher: Fetcher = Fetcher()) {
        self.fetcher = fetcher
        self.maxBytes = fetcher.options.maxResponseBytes
    }

    /// Reads, decodes and extracts `source`. `standardInput` supplies stdin's bytes for `-`.
    public func load(
        _ source: ImportSource,
        standardInput: @Sendable (Int) throws -> Data = Importer.readStandardInput
    ) async throws(ImportError) -> Result {
        let bytes: Data
        let charset: String?
        let location: URL?
        let name: String
        switch source {
        case .web(let url):
            let page = try await fetcher.fetch(url)
            (bytes, charset, location, name) = (page.body, page.charset, page.url, url.absoluteString)
        case .file(let path):
            bytes = try readFile(path)
            let url = URL(fileURLWithPath: path).standardizedFileURL
            (charset, location, name) = (nil, url, path)
            if Fetcher.looksBinary(bytes) { throw ImportError.notHTML(path, reason: "it looks like binary data") }
        case .standardInput:
            do {
                bytes = try standardInput(maxBytes + 1)
            } catch {
                throw ImportError(
                    kind: .unreadable, message: "could not read standard input: \(error)",
                    hint: "pipe an HTML page into gloss import -")
            }
            guard bytes.count <= maxBytes else { throw tooLarge("standard input") }
            (charset, location, name) = (nil, nil, "standard input")
            if Fetcher.looksBinary(bytes) { throw ImportError.notHTML(name, reason: "it looks like binary data") }
        }
        let decoded = TextDecoding.decode(bytes, httpCharset: charset)
        let article: ExtractedArticle
        do {
            // A file's own location is not a useful base for links; the page's canonical URL
            // (found by the extractor) is.
            let base: URL? = if case .web = source { location } else { nil }
            article = try Extractor.extract(html: decoded.text, url: base)
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError(
                kind: .extraction, message: "could not extract an article from \(name): \(error)",
                hint: "the page may not contain an article")
        }
        guard !article.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ImportError(
                kind: .extraction, message: "found no article text in \(name)",
                hint: "the page may be empty, need JavaScript, or not be an article")
        }
        return Result(article: article, location: location, encoding: decoded.encoding)
    }

    private func readFile(_ path: String) throws(ImportError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError(
                kind: .unreadable, message: "no such file: \(path)",
                hint: "check the path; URLs must start with http:// or https://")
        }
        guard !isDirectory.boolValue else {
            throw ImportError(kind: .unreadable, message: "\(path) is a folder", hint: "give an HTML file")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxBytes else { throw tooLarge(path) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(kind: .unreadable, message: "cannot read \(path)", hint: "check its permissions")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard data.count <= maxBytes else { throw tooLarge(path) }
        return data
    }

    private func tooLarge(_ name: String) -> ImportError {
        ImportError(
            kind: .tooLarge,
            message: "\(name) is larger than \(maxBytes / (1024 * 1024)) MB",
            hint: "that is too large to import")
    }

    /// Reads at most `limit` bytes of standard input.
    public static func readStandardInput(limit: Int) throws -> Data {
        try FileHandle.standardInput.read(upToCount: limit) ?? Data()
    }
}
