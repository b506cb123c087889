/// Picks the element that holds the article, Readability-style, with trafilatura's body
/// selectors as priors.
///
/// Every block with at least 25 characters of its own text scores 1 + commas + min(len/100, 3)
/// and gives it to five ancestors (parent ×1, grandparent ×½, then ×1/(3·level)); each ancestor
/// starts from a tag prior plus ±25 for its class/id hints, more for body selectors. Scores are
/// scaled by (1 − link density). The best candidate is then promoted to a common ancestor when
/// three near-rivals share it, climbed while the parent scores higher, and joined by siblings
/// that score above max(10, 0.2·best) or read as prose paragraphs.
struct ContainerChooser {
    let analysis: PageAnalysis
    private(set) var score: [Double]
    private(set) var scored: [Bool]
    private let body: Int

    init(analysis: PageAnalysis) {
        self.analysis = analysis
        score = Array(repeating: 0, count: analysis.tree.count)
        scored = Array(repeating: false, count: analysis.tree.count)
        body = analysis.tree.first(.body) ?? 0
    }

    /// The article's top element and the sibling elements that join it, in document order.
    mutating func choose() -> (top: Int, nodes: [Int]) {
        let tree = analysis.tree
        guard tree.count > 0 else { return (0, []) }
        scoreParagraphs()
        var top = -1
        var candidates: [Int] = []
        for node in 0..<tree.count where scored[node] && !analysis.removed[node] {
            score[node] *= 1 - analysis.linkDensity(node)
            // A class name alone does not make a short block the article.
            let length = Double(analysis.textLength[node])
            if length < 300 { score[node] *= max(0.1, length / 300) }
            candidates.append(node)
            if top < 0 || score[node] > score[top] { top = node }
        }
        guard top >= 0 else { return (body, [body]) }
        top = promote(top, candidates: candidates)
        top = climb(top)
        if isPostStream(top) { top = leavePostStream(top, candidates: candidates) }
        return (top, siblings(of: top))
    }

    private mutating func scoreParagraphs() {
        let tree = analysis.tree
        for node in 0..<tree.count where tree.kind[node] == .element && !analysis.removed[node] {
            let length = analysis.directLength[node]
            guard length >= 25 else { continue }
            let tag = tree.tag[node]
            if tag.isHeading || tag == .li || tag == .dt || tag == .caption { continue }
            if Double(analysis.directLinkLength[node]) > 0.5 * Double(length) { continue }
            let value = 1 + Double(analysis.directCommas[node]) + min(Double(length) / 100, 3)
            var ancestor: Int
            switch tag {
            case .p, .pre, .td, .th, .blockquote, .dd: ancestor = Int(tree.parent[node])
            default: ancestor = node
            }
            var level = 0
            while ancestor >= 0 && level < 5 {
                if tree.tag[ancestor] == .html { break }
                if !scored[ancestor] { initialize(ancestor) }
                let divider = level == 0 ? 1.0 : level == 1 ? 2.0 : Double(level) * 3
                score[ancestor] += value / divider
                ancestor = Int(tree.parent[ancestor])
                level += 1
            }
        }
    }

    private mutating func initialize(_ node: Int) {
        scored[node] = true
        var value: Double
        switch analysis.tree.tag[node] {
        case .div: value = 5
        case .article: value = 10
        case .main: value = 3
        case .pre, .td, .blockquote: value = 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: value = -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: value = -5
        default: value = 0
        }
        let hints = analysis.hints[node]
        if hints.contains(.negative) { value -= 25 }
        if hints.contains(.positive) { value += 25 }
        if hints.contains(.articleBody) { value += 25 }
        if analysis.isItemPropBody(node) { value += 30 }
        score[node] = value
    }

    /// Readability: when three of the five best rivals (≥ 0.75 of the top score) sit under one
    /// ancestor of the top candidate, that ancestor holds the article.
    private mutating func promote(_ top: Int, candidates: [Int]) -> Int {
        let tree = analysis.tree
        let best = candidates.sorted { score[$0] > score[$1] }.prefix(5)
        let rivals = best.filter { $0 != top && score[$0] >= 0.75 * score[top] }
        guard rivals.count >= 3 else { return top }
        var ancestor = Int(tree.parent[top])
        while ancestor >= 0 && ancestor != body {
            let inside = rivals.filter { tree.isInside($0, ancestor) }.count
            if inside >= 3 {
                if !scored[ancestor] { initialize(ancestor) }
                return ancestor
            }
            ancestor = Int(tree.parent[ancestor])
        }
        return top
    }

    private func climb(_ start: Int) -> Int {
        let tree = analysis.tree
        var top = start
        var lastScore = score[top]
        let threshold = lastScore / 3
        var parent = Int(tree.parent[top])
        while parent >= 0 && parent != body && tree.tag[parent] != .html {
            if !scored[parent] {
                parent = Int(tree.parent[parent])
                continue
            }
            if score[parent] < threshold { break }
            if score[parent] > lastScore {
                top = parent
                break
            }
            lastScore = score[parent]
            parent = Int(tree.parent[parent])
        }
        // Through parents with a single child element.
        while true {
            let parent = Int(tree.parent[top])
            guard parent >= 0, parent != body, tree.tag[parent] != .html else { break }
            let elements = tree.children(of: parent).filter {
                tree.kind[$0] == .element && !analysis.removed[$0]
            }
            guard elements.count == 1 else { break }
            top = parent
        }
        return top
    }

    /// Two or more `<article>` elements with real text inside: a stream of posts (a blog's
    /// "more posts" below the post), not one article.
    private func isPostStream(_ node: Int) -> Bool {
        let tree = analysis.tree
        var posts = 0
        var index = node + 1
        while index < Int(tree.end[node]) {
            if tree.kind[index] == .element && tree.tag[index] == .article && !analysis.removed[index]
                && analysis.textLength[index] >= 150
            {
                posts += 1
                if posts >= 2 { return true }
                index = Int(tree.end[index])
                continue
            }
            index += 1
        }
        return false
    }

    /// In a post stream, the article is the candidate holding the page's `<h1>` (or the one
    /// closest after it), not the stream around it.
    private func leavePostStream(_ top: Int, candidates: [Int]) -> Int {
        let tree = analysis.tree
        guard let heading = (0..<tree.count).first(where: {
            tree.kind[$0] == .element && tree.tag[$0] == .h1 && !analysis.removed[$0]
        }) else { return top }
        var best = -1
        for candidate in candidates where !isPostStream(candidate) && score[candidate] > 0 {
            // The candidate, or its nearest ancestors, hold the headline.
            var holder = candidate
            var holds = false
            for _ in 0..<3 {
                if tree.isInside(heading, holder) {
                    holds = true
                    break
                }
                holder = Int(tree.parent[holder])
                if holder < 0 || isPostStream(holder) { break }
            }
            guard holds else { continue }
            if best < 0 || score[candidate] > score[best] { best = candidate }
        }
        return best >= 0 ? best : top
    }

    /// The best score of any candidate inside `node`.
    private func bestInside(_ node: Int) -> Double {
        var best = 0.0
        for index in node..<Int(analysis.tree.end[node]) where scored[index] {
            best = max(best, score[index])
        }
        return best
    }

    private func siblings(of top: Int) -> [Int] {
        let tree = analysis.tree
        let parent = Int(tree.parent[top])
        guard parent >= 0, top != body else { return [top] }
        let threshold = max(10, score[top] * 0.2)
        let topClass = tree.attribute(.class, top) ?? ""
        var nodes: [Int] = []
        for sibling in tree.children(of: parent) {
            guard tree.kind[sibling] == .element, !analysis.removed[sibling] else { continue }
            if sibling == top {
                nodes.append(sibling)
                continue
            }
            if tree.tag[sibling] == .article && tree.tag[top] == .article || isPostStream(sibling) {
                // Another post of a stream, never a continuation.
                continue
            }
            var bonus = 0.0
            if !topClass.isEmpty, tree.attribute(.class, sibling) == topClass {
                bonus = score[top] * 0.2
            }
            if scored[sibling] && score[sibling] + bonus >= threshold && analysis.linkDensity(sibling) < 0.33 {
                nodes.append(sibling)
            } else if !scored[sibling], analysis.linkDensity(sibling) < 0.3,
                !analysis.hints[sibling].contains(.negative),
                bestInside(sibling) >= max(threshold, score[top] * 0.3)
            {
                // An unscored wrapper around another part of the article (the body split in
                // two by a figure or an ad slot).
                nodes.append(sibling)
            } else if tree.tag[sibling] == .p {
                let length = analysis.textLength[sibling]
                let density = analysis.linkDensity(sibling)
                if length > 80 && density < 0.25 {
                    nodes.append(sibling)
                } else if length > 0 && length < 80 && density == 0 {
                    let text = tree.textContent(sibling)
                    if text.contains(". ") || text.hasSuffix(".") { nodes.append(sibling) }
                }
            }
        }
        return nodes
    }
}
