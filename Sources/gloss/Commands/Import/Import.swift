import ArgumentParser
import Foundation
import GlossImport
import GlossStorage

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import articles from http(s) URLs, HTML files or stdin (-); or restore a backup.",
        discussion: """
            Each SOURCE is fetched (at most 10 redirects, 10 MB, 30 s), decoded and its article \
            extracted and stored. An article already in the library is left unchanged unless \
            --refresh. A source that fails is reported and the rest are still tried; the exit \
            status is then 1. With --json, one object per source per line.
            `gloss import --backup FILE` restores a `gloss export --format json` backup into this \
            library (like a pull: every change keeps its site and stamp; new writes use this \
            library's own site id).
            """)

    @Argument(help: "http(s) URLs, HTML file paths, or - for stdin.")
    var sources: [String] = []

    @Option(name: .customLong("tag"), help: "A tag for every imported article (repeatable).")
    var tags: [String] = []

    @Flag(help: "Fetch and extract, but store nothing.")
    var dryRun = false

    @Flag(help: "Fetch again and update an article already in the library.")
    var refresh = false

    @Flag(help: "One JSON object per source per line.")
    var json = false

    @Option(help: "Restore a JSON backup made by `gloss export --format json`.")
    var backup: String?

    func validate() throws {
        if backup != nil {
            guard sources.isEmpty else { throw ValidationError("give either SOURCE... or --backup FILE, not both") }
            guard !dryRun, !refresh, tags.isEmpty else {
                throw ValidationError("--backup restores a whole library: --tag, --dry-run and --refresh do not apply")
            }
        } else if sources.isEmpty {
            throw ValidationError("give at least one SOURCE (an http(s) URL, a file path, or -)")
        }
        if sources.filter({ $0 == "-" }).count > 1 { throw ValidationError("stdin (-) can be read only once") }
    }

    func run() async throws {
        if let backup {
            try restore(backup)
            return
        }
        let library = dryRun ? nil : try LibraryAccess.open()
        let importer = Importer()
        let showProgress = Terminal.stderrIsTerminal && sources.count > 1
        var failures = 0
        for (index, source) in sources.enumerated() {
            if showProgress { Terminal.writeStderr("\r\u{1B}[K[\(index + 1)/\(sources.count)] \(LibraryAccess.line(source, width: 60))") }
            do {
                let parsed = try ImportSource(parsing: source)
                let result = try await importer.load(parsed)
                let draft = Self.draft(result, source: parsed)
                var saved: (id: String, outcome: SaveOutcome)?
                if let library { saved = try library.saveArticle(draft, tags: tags, refresh: refresh) }
                if showProgress { Terminal.writeStderr("\r\u{1B}[K") }
                try report(source: source, draft: draft, saved: saved)
            } catch {
                failures += 1
                if showProgress { Terminal.writeStderr("\r\u{1B}[K") }
                if json {
                    try JSONOutput.print(ArticleOutput.Failed(source: source, error: String(describing: error)))
                } else {
                    let message = String(describing: error)
                    let named = sources.count == 1 || message.contains(source) ? message : "\(source): \(message)"
                    Terminal.writeStderr("error: \(named)\n")
                }
            }
        }
        if failures > 0 {
            if !json && sources.count > 1 {
                Terminal.writeStderr("\(failures) of \(sources.count) sources failed\n")
            }
            throw ExitCode(1)
        }
    }

    /// What is stored: the page's own URL (after redirects) and its canonical URL, which gives
    /// the id. A file without a canonical URL is known by its path; stdin by its content.
    static func draft(_ result: Importer.Result, source: ImportSource) -> ArticleDraft {
        let article = result.article
        var url = result.location?.absoluteString ?? article.url
        if url == nil || url!.isEmpty {
            url = article.canonicalURL ?? "urn:gloss:stdin:" + CanonicalURL.articleId(forURL: article.text)
        }
        var canonical = article.canonicalURL
        if case .web = source, canonical == nil || canonical!.isEmpty { canonical = url }
        if canonical == nil { canonical = url }
        return ArticleDraft(
            url: url!, canonicalUrl: canonical, title: article.title, byline: article.byline,
            siteName: article.siteName, published: article.published, language: article.language,
            excerpt: article.excerpt, leadImageUrl: article.leadImageURL, contentHTML: article.contentHTML,
            text: article.text, wordCount: article.wordCount)
    }

    private func report(source: String, draft: ArticleDraft, saved: (id: String, outcome: SaveOutcome)?) throws {
        if json {
            try JSONOutput.print(ArticleOutput.Imported(
                source: source, id: saved?.id, outcome: saved?.outcome, url: draft.url,
                canonicalUrl: saved == nil ? draft.canonicalUrl.map(CanonicalURL.normalize) : CanonicalURL.normalize(draft.canonicalUrl ?? draft.url),
                title: draft.title, byline: draft.byline, siteName: draft.siteName, published: draft.published,
                language: draft.language, excerpt: draft.excerpt, wordCount: draft.wordCount, text: draft.text))
            return
        }
        let title = draft.title ?? draft.url
        let words = "\(draft.wordCount) words"
        guard let saved else {
            print("would import  \(title) (\(words)) — dry run, nothing stored")
            return
        }
        let id = LibraryAccess.short(saved.id)
        switch saved.outcome {
        case .created: print("imported   \(id)  \(title) (\(words))")
        case .refreshed: print("refreshed  \(id)  \(title) (\(words))")
        case .unchanged:
            print("unchanged  \(id)  \(title) (already in the library; --refresh fetches it again)")
        }
    }

    private func restore(_ path: String) throws {
        let backup = try Backup.read(path)
        let library = try LibraryAccess.open()
        let report = try library.apply(backup.changes)
        for warning in report.warnings { Terminal.warn(warning) }
        let sites = Set(backup.changes.map(\.site)).count
        print(
            "restored \(report.applied) changes from \(sites) site\(sites == 1 ? "" : "s") "
                + "(\(report.skipped) already here); this library writes as site \(try library.site())")
    }
}
