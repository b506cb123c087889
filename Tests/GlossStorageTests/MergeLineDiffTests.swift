import Testing

@testable import GlossStorage

/// The line diff is part of the merge's definition: its exact output is pinned here.
@Suite struct MergeLineDiffTests {
    /// Renders an edit script over single-character "lines": " x" keep, "-x" delete, "+x" insert.
    static func script(_ old: String, _ new: String) -> String {
        let a = old.map { String($0) }, b = new.map { String($0) }
        return LineDiff.edits(a, b).map { edit -> String in
            switch edit {
            case .keep(let i, _): " " + a[i]
            case .delete(let i): "-" + a[i]
            case .insert(let j): "+" + b[j]
            }
        }.joined(separator: " ")
    }

    @Test(arguments: [
        // Myers' paper example: edit distance 5.
        ("abcabba", "cbabac", "-a -b  c +b  a  b -b  a +c"),
        ("", "", ""),
        ("", "ab", "+a +b"),
        ("ab", "", "-a -b"),
        ("abc", "abc", " a  b  c"),
        ("abc", "axc", " a -b +x  c"),
        ("aaaa", "aa", " a  a -a -a"),
        ("abab", "baba", "-a  b  a  b +a"),
        ("xaaay", "xaay", " x  a  a -a  y"),
        ("abcdef", "fedcba", "-a -b -c -d -e  f +e +d +c +b +a"),
    ])
    func goldenScripts(old: String, new: String, expected: String) {
        #expect(Self.script(old, new) == expected)
    }

    @Test func linesKeepTerminatorsAndCompareBytes() {
        #expect(LineDiff.lines("") == [])
        #expect(LineDiff.lines("a\r\nb\nc").map { Array($0) } == [Array("a\r\n".utf8), Array("b\n".utf8), Array("c".utf8)])
        #expect(LineDiff.lines("\n\n").count == 2)
        let composed = "caf\u{E9}\n", decomposed = "cafe\u{301}\n"
        #expect(composed == decomposed)  // String equality is canonical equivalence…
        #expect(LineDiff.lines(composed) != LineDiff.lines(decomposed))  // …bytes are not.
        for text in ["a\r\nb\n", "x", "é\n\u{1F600}\r\n", ""] {
            #expect(LineDiff.text(LineDiff.lines(text)) == text)
        }
    }

    /// The diff is minimal: its kept pairs are a longest common subsequence (checked against
    /// dynamic programming), valid and increasing, on many random inputs over a tiny alphabet
    /// (which makes many repeated lines).
    @Test func minimalOnRandomInputs() {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<400 {
            let a = (0..<Int(rng.next() % 14)).map { _ in Int(rng.next() % 3) }
            let b = (0..<Int(rng.next() % 14)).map { _ in Int(rng.next() % 3) }
            let pairs = LineDiff.matches(a, b)
            #expect(pairs.count == Self.lcsLength(a, b), "a=\(a) b=\(b)")
            for (i, pair) in pairs.enumerated() {
                #expect(a[pair.0] == b[pair.1])
                if i > 0 { #expect(pair.0 > pairs[i - 1].0 && pair.1 > pairs[i - 1].1) }
            }
        }
    }

    @Test func beyondTheEditDistanceCapStillValid() {
        let n = LineDiff.maxEditDistance + 10
        let a = Array(0..<n), b = Array(n..<(2 * n))
        let withShared = [-1] + a + [-2], other = [-1] + b + [-2]
        #expect(LineDiff.matches(withShared, other).map { [$0.0, $0.1] } == [[0, 0], [n + 1, n + 1]])
    }

    static func lcsLength(_ a: [Int], _ b: [Int]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in a.indices.reversed() {
            for j in b.indices.reversed() {
                table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        return table[0][0]
    }
}

/// A small seeded generator (SplitMix64) so random tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
