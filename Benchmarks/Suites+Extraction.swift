import CLibXML2
import Foundation
import GlossImport

/// Benchmark suites of this area.
let extractionSuites: [BenchmarkSuite] = [
    BenchmarkSuite(name: "extraction", run: runExtractionBenchmark)
]

/// `--extraction-bench DIR` (the corpus), `--report` (per-page F1, worst first), `--id ID`
/// (one page; with `--show`, print its text beside the truth), `--limit N`, `--rounds N`,
/// `--dump DIR` (every extracted field of every page, one file each, to diff two builds).
@Sendable func runExtractionBenchmark(_ arguments: BenchmarkArguments) async throws {
    guard let folder = arguments.options["extraction-bench"] else {
        print("skipped: no --extraction-bench DIR given")
        return
    }
    let corpus: ExtractionCorpus
    do {
        corpus = try ExtractionCorpus(
            folder: folder, ids: arguments.options["id"].map { Set($0.split(separator: ",").map(String.init)) },
            limit: arguments.options["limit"].flatMap(Int.init))
    } catch let missing as ExtractionCorpus.MissingFolder {
        print("skipped: \(missing.description) (fetch the corpus or pass --extraction-bench DIR)")
        return
    }
    guard !corpus.pages.isEmpty else {
        print("skipped: no pages in \(folder)")
        return
    }
    let rounds = max(1, arguments.options["rounds"].flatMap(Int.init) ?? 3)

    // Quality (and the extracted values) from one pass.
    var articles: [ExtractedArticle] = []
    for page in corpus.pages {
        articles.append((try? Extractor.extract(html: page.html, url: page.url)) ?? ExtractedArticle(contentHTML: "", text: "", wordCount: 0))
    }

    // Speed: libxml2 parse-only and the whole extraction, interleaved page by page so that a
    // shared machine's changing load falls on both alike; per page the faster of `rounds`
    // tries of each, summed over the pages.
    var parseBest = Array(repeating: Double.infinity, count: corpus.pages.count)
    var extractBest = Array(repeating: Double.infinity, count: corpus.pages.count)
    for _ in 0..<rounds {
        for (index, page) in corpus.pages.enumerated() {
            var start = now()
            _ = parseOnly(page.html)
            parseBest[index] = min(parseBest[index], now() - start)
            start = now()
            _ = try? Extractor.extract(html: page.html, url: page.url)
            extractBest[index] = min(extractBest[index], now() - start)
        }
    }
    let parseTotal = parseBest.reduce(0, +)
    let extractTotal = extractBest.reduce(0, +)

    var all: [ExtractionMetric.PageScore] = []
    var english: [ExtractionMetric.PageScore] = []
    var other: [ExtractionMetric.PageScore] = []
    var rows: [(id: String, score: ExtractionMetric.PageScore, length: Int, truth: Int, language: String)] = []
    for (page, article) in zip(corpus.pages, articles) {
        let score = ExtractionMetric.score(predicted: article.text, truth: page.truth)
        all.append(score)
        let language = article.language ?? (looksEnglish(page.html) ? "en?" : "?")
        if language.hasPrefix("en") { english.append(score) } else { other.append(score) }
        rows.append((page.id, score, article.text.count, page.truth.count, language))
    }
    func line(_ name: String, _ scores: [ExtractionMetric.PageScore]) -> String {
        let result = ExtractionMetric.aggregate(scores)
        return String(
            format: "%@ F1 %.4f  precision %.4f  recall %.4f  (%d pages)", name, result.f1,
            result.precision, result.recall, scores.count)
    }
    print(line("all        ", all))
    print(line("English    ", english))
    print(line("non-English", other))
    print("(language: the extracted one, from <html lang>, meta or JSON-LD; pages declaring none are split by common English words)")
    let count = Double(corpus.pages.count)
    print(
        String(
            format: "extraction %.1f pages/s · libxml2 parse-only %.1f pages/s · ratio %@ (target ≥ 0.50×)",
            count / extractTotal, count / parseTotal, ratio(parseTotal, extractTotal)))

    if arguments.options["report"] != nil {
        print("\nid            P      R      F1     length  truth  lang")
        for row in rows.sorted(by: { $0.score.f1 < $1.score.f1 }) {
            print(
                String(
                    format: "%@  %.3f  %.3f  %.3f  %6d  %6d  %@", row.id, row.score.precision,
                    row.score.recall, row.score.f1, row.length, row.truth, row.language))
        }
    }
    if let folder = arguments.options["dump"] {
        // Every extracted field per page, to diff two builds' output (`--dump DIR`).
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (page, article) in zip(corpus.pages, articles) {
            let fields: [(String, String?)] = [
                ("url", article.url), ("canonicalURL", article.canonicalURL), ("title", article.title),
                ("byline", article.byline), ("siteName", article.siteName), ("published", article.published),
                ("language", article.language), ("excerpt", article.excerpt), ("leadImageURL", article.leadImageURL),
                ("wordCount", String(article.wordCount)), ("text", article.text), ("contentHTML", article.contentHTML),
            ]
            let dump = fields.map { "## \($0.0)\n\($0.1 ?? "-")\n" }.joined()
            try dump.write(toFile: "\(folder)/\(page.id).txt", atomically: true, encoding: .utf8)
        }
    }
    if arguments.options["show"] != nil {
        for (page, article) in zip(corpus.pages, articles) {
            print("\n==== \(page.id) \(page.url?.absoluteString ?? "")")
            print("title: \(article.title ?? "-") | byline: \(article.byline ?? "-") | published: \(article.published ?? "-") | site: \(article.siteName ?? "-") | lang: \(article.language ?? "-")")
            print("---- extracted\n\(article.text)\n---- truth\n\(page.truth)")
        }
    }
}

/// For a page that declares no language: English when common English words make up a large
/// share of its words (the split is reporting only; extraction never uses it).
private func looksEnglish(_ html: String) -> Bool {
    let common: Set<Substring> = ["the", "and", "of", "to", "in", "is", "that", "for", "with", "was"]
    var words = 0
    var hits = 0
    for word in html.lowercased().split(whereSeparator: { !$0.isLetter }).prefix(20_000) {
        words += 1
        if common.contains(word) { hits += 1 }
    }
    return words > 0 && Double(hits) / Double(words) > 0.04
}

/// libxml2's HTML parser alone, with the extractor's options: the speed baseline.
private func parseOnly(_ html: String) -> Bool {
    var html = html
    return html.withUTF8 { buffer -> Bool in
        guard let base = buffer.baseAddress, buffer.count > 0 else { return false }
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let document = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
            htmlReadMemory($0, Int32(buffer.count), nil, "UTF-8", options)
        }
        guard let document else { return false }
        xmlFreeDoc(document)
        return true
    }
}
