/// The extraction benchmark's metric (extraction-bench/README.md): multisets of 4-token
/// shingles over `\w+` tokens; per-page tp/fp/fn normalised to sum 1; precision averaged over
/// pages with tp+fp > 0, recall over pages with tp+fn > 0; F1 of the two averages.
enum ExtractionMetric {
    struct PageScore {
        var tp: Double
        var fp: Double
        var fn: Double

        var precision: Double {
            if fp == 0 && fn == 0 { return 1 }
            if tp == 0 && fp == 0 { return 0 }
            return tp / (tp + fp)
        }

        var recall: Double {
            if fp == 0 && fn == 0 { return 1 }
            if tp == 0 && fn == 0 { return 0 }
            return tp / (tp + fn)
        }

        var f1: Double {
            let p = precision, r = recall
            return p + r > 0 ? 2 * p * r / (p + r) : 0
        }
    }

    /// `\w+` runs: letters, digits (Unicode) and underscore.
    static func tokens(_ text: String) -> [Substring] {
        var tokens: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        for scalar in text.unicodeScalars {
            let isWord = scalar == "_" || scalar.properties.isAlphabetic
                || scalar.properties.numericType != nil
            if isWord {
                if start == nil { start = index }
            } else if let begin = start {
                tokens.append(text[begin..<index])
                start = nil
            }
            index = text.unicodeScalars.index(after: index)
        }
        if let begin = start { tokens.append(text[begin...]) }
        return tokens
    }

    static func shingles(_ text: String) -> [String: Int] {
        let words = tokens(text)
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

    static func score(predicted: String, truth: String) -> PageScore {
        let predictedShingles = shingles(predicted)
        let trueShingles = shingles(truth)
        var tp = 0, fp = 0, fn = 0
        for (shingle, count) in predictedShingles {
            let expected = trueShingles[shingle] ?? 0
            tp += min(count, expected)
            fp += max(0, count - expected)
        }
        for (shingle, count) in trueShingles {
            fn += max(0, count - (predictedShingles[shingle] ?? 0))
        }
        let total = Double(tp + fp + fn)
        guard total > 0 else { return PageScore(tp: 0, fp: 0, fn: 0) }
        return PageScore(tp: Double(tp) / total, fp: Double(fp) / total, fn: Double(fn) / total)
    }

    /// Mean precision, mean recall and their F1 over pages.
    static func aggregate(_ scores: [PageScore]) -> (f1: Double, precision: Double, recall: Double) {
        let precisions = scores.filter { $0.tp + $0.fp > 0 }.map(\.precision)
        let recalls = scores.filter { $0.tp + $0.fn > 0 }.map(\.recall)
        let p = precisions.isEmpty ? 0 : precisions.reduce(0, +) / Double(precisions.count)
        let r = recalls.isEmpty ? 0 : recalls.reduce(0, +) / Double(recalls.count)
        return (p + r > 0 ? 2 * p * r / (p + r) : 0, p, r)
    }
}
