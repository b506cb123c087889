import Foundation

@testable import GlossImport

/// Fixture pages of the extraction tests (written for these tests) and the product sample.
enum ExtractFixtures {
    static func page(_ folder: String, _ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/\(folder)/\(name)", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// `Tests/Fixtures/samples/…` (shared with the CLI tests).
    static func sample(_ name: String) throws -> Data {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try Data(contentsOf: root.appendingPathComponent("Fixtures/samples/\(name)"))
    }

    static func extract(_ html: String, url: String = "https://news.example/story") throws -> ExtractedArticle {
        try Extractor.extract(html: html, url: URL(string: url))
    }
}

/// The extraction benchmark's metric (shingles of four `\w+` tokens), for one page.
enum ShingleScore {
    static func f1(predicted: String, truth: String) -> Double {
        let p = shingles(predicted), t = shingles(truth)
        var tp = 0, fp = 0, fn = 0
        for (key, count) in p {
            tp += min(count, t[key] ?? 0)
            fp += max(0, count - (t[key] ?? 0))
        }
        for (key, count) in t { fn += max(0, count - (p[key] ?? 0)) }
        if fp == 0 && fn == 0 { return 1 }
        guard tp > 0 else { return 0 }
        let precision = Double(tp) / Double(tp + fp), recall = Double(tp) / Double(tp + fn)
        return 2 * precision * recall / (precision + recall)
    }

    static func shingles(_ text: String) -> [String: Int] {
        var words: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var counts: [String: Int] = [:]
        guard !words.isEmpty else { return counts }
        if words.count < 4 {
            counts[words.joined(separator: " "), default: 0] += 1
            return counts
        }
        for start in 0...(words.count - 4) {
            counts[words[start..<start + 4].joined(separator: " "), default: 0] += 1
        }
        return counts
    }
}
