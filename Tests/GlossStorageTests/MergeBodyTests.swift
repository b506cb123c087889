import Testing

@testable import GlossStorage

/// `BodyMerge.resolve`: the body as a pure function of a note's revision set.
@Suite struct MergeBodyTests {
    static let siteA = String(repeating: "a", count: 32)
    static let siteB = String(repeating: "b", count: 32)
    static let siteC = String(repeating: "c", count: 32)

    static func rev(_ site: String, _ seq: Int64, _ ms: Int64, _ base: [BodyRevision], _ text: String) -> BodyRevision {
        BodyRevision(ref: ChangeRef(site: site, seq: seq), hlc: HLC(millis: ms, counter: 0), base: base.map(\.ref), text: text)
    }

    @Test func emptyAndSingleHead() {
        #expect(BodyMerge.resolve([]).body == "")
        let r1 = Self.rev(Self.siteA, 1, 10, [], "one\n")
        let r2 = Self.rev(Self.siteA, 2, 20, [r1], "two\n")
        let merged = BodyMerge.resolve([r2, r1])
        #expect(merged.body == "two\n")
        #expect(merged.heads == [r2.ref])
        #expect(merged.conflicts.isEmpty)
        #expect(merged.baseForEdit == [r2.ref])
    }

    @Test func differentLinesMergeCleanly() {
        let o = Self.rev(Self.siteA, 1, 10, [], "title\n\nfirst\n\nsecond\n")
        let a = Self.rev(Self.siteA, 2, 20, [o], "title\n\nFIRST\n\nsecond\n")
        let b = Self.rev(Self.siteB, 1, 15, [o], "title\n\nfirst\n\nSECOND\n")
        let merged = BodyMerge.resolve([o, a, b])
        #expect(merged.body == "title\n\nFIRST\n\nSECOND\n")
        #expect(merged.heads == [b.ref, a.ref])
        #expect(merged.conflicts.isEmpty)
        #expect(merged.baseForEdit == [b.ref, a.ref])
    }

    @Test func sameLineConflicts() {
        let o = Self.rev(Self.siteA, 1, 10, [], "line\n")
        let a = Self.rev(Self.siteA, 2, 20, [o], "from a\n")
        let b = Self.rev(Self.siteB, 1, 30, [o], "from b\n")
        let merged = BodyMerge.resolve([a, o, b])
        #expect(merged.body == "from b\n")  // the greatest (hlc, site) head
        #expect(merged.winner == b.ref)
        #expect(merged.conflicts == [a])
        #expect(merged.baseForEdit == [b.ref])  // editing does not close the unseen revision
        #expect(merged.baseForResolve == [a.ref, b.ref])
        // Resolving closes both heads.
        let resolved = Self.rev(Self.siteA, 3, 40, [a, b], "both\n")
        #expect(BodyMerge.resolve([o, a, b, resolved]) == MergedBody(body: "both\n", heads: [resolved.ref], conflicts: [], winner: resolved.ref))
    }

    @Test func equalHLCsOrderBySite() {
        let o = Self.rev(Self.siteA, 1, 10, [], "x\n")
        let a = Self.rev(Self.siteA, 2, 20, [o], "a\n")
        let b = Self.rev(Self.siteB, 1, 20, [o], "b\n")
        #expect(BodyMerge.resolve([a, b, o]).body == "b\n")
    }

    @Test func missingBaseRefsAreIgnored() {
        let ghost = ChangeRef(site: Self.siteC, seq: 9)
        let a = BodyRevision(ref: ChangeRef(site: Self.siteA, seq: 1), hlc: HLC(millis: 5, counter: 0), base: [ghost], text: "a\n")
        let merged = BodyMerge.resolve([a])
        #expect(merged.body == "a\n")
        #expect(merged.heads == [a.ref])
    }

    /// Criss-cross: X and Y both saw the clean merge of A1 and B1, then X reverted B1's change
    /// while Y edited elsewhere. Their common ancestors are {A1, B1}; merging against either one
    /// alone would silently drop X's revert (base B1) or report a false conflict (base A1).
    /// The virtual base — the merge of A1 and B1 — keeps both.
    @Test func crissCrossUsesVirtualBase() {
        let o = Self.rev(Self.siteA, 1, 10, [], "1\n\n2\n\n3\n\n4\n")
        let a1 = Self.rev(Self.siteA, 2, 20, [o], "1 a\n\n2\n\n3\n\n4\n")
        let b1 = Self.rev(Self.siteB, 1, 21, [o], "1\n\n2\n\n3\n\n4 b\n")
        // Both see the merged body "1 a / 2 / 3 / 4 b" and write on top of it.
        let x = Self.rev(Self.siteA, 3, 30, [a1, b1], "1 a\n\n2\n\n3\n\n4\n")  // reverts "4 b"
        let y = Self.rev(Self.siteB, 2, 31, [a1, b1], "1 a\n\n2 y\n\n3\n\n4 b\n")  // edits line 2
        let merged = BodyMerge.resolve([o, a1, b1, x, y])
        #expect(merged.conflicts.isEmpty)
        #expect(merged.body == "1 a\n\n2 y\n\n3\n\n4\n")
        // Picking A1 alone as the base silently brings "4 b" back — the trap being avoided.
        #expect(ThreeWayMerge.merge(base: a1.text, x.text, y.text).text == "1 a\n\n2 y\n\n3\n\n4 b\n")
    }

    @Test func threeHeadsDeterministicUnderPermutations() {
        let o = Self.rev(Self.siteA, 1, 10, [], "a\n\nb\n\nc\n\nd\n")
        let x = Self.rev(Self.siteA, 2, 20, [o], "A\n\nb\n\nc\n\nd\n")
        let y = Self.rev(Self.siteB, 1, 25, [o], "a\n\nB\n\nc\n\nd\n")
        let z = Self.rev(Self.siteC, 1, 22, [o], "a\n\nb\n\nc\n\nD\n")
        let all = [o, x, y, z]
        let expected = BodyMerge.resolve(all)
        #expect(expected.body == "A\n\nB\n\nc\n\nD\n")
        #expect(expected.heads == [x.ref, z.ref, y.ref])
        for permutation in Self.permutations(all) {
            #expect(BodyMerge.resolve(permutation) == expected)
            #expect(BodyMerge.resolve(permutation + permutation) == expected)  // duplicates too
        }
        // A head whose ancestor was a head before: still merged against the common ancestor.
        let w = Self.rev(Self.siteC, 2, 40, [z], "a\n\nb\n\nc\n\nD!\n")
        let folded = BodyMerge.resolve([o, x, y, z, w])
        #expect(folded.heads == [x.ref, y.ref, w.ref])
        #expect(folded.body == "A\n\nB\n\nc\n\nD!\n")
        #expect(folded.conflicts.isEmpty)
        for permutation in Self.permutations([o, x, y, z, w]) {
            #expect(BodyMerge.resolve(permutation) == folded)
        }
    }

    @Test func conflictingFoldMakesEveryOtherHeadAConflict() {
        let o = Self.rev(Self.siteA, 1, 10, [], "a\n\nb\n")
        let x = Self.rev(Self.siteA, 2, 20, [o], "A\n\nb\n")
        let y = Self.rev(Self.siteB, 1, 25, [o], "a\n\nB\n")
        let z = Self.rev(Self.siteC, 1, 30, [o], "a\n\nB2\n")  // conflicts with y
        let merged = BodyMerge.resolve([o, x, y, z])
        #expect(merged.body == z.text)
        #expect(merged.winner == z.ref)
        #expect(merged.conflicts == [x, y])
    }

    /// Random revision graphs: the result never depends on input order or duplication.
    @Test func randomGraphsAreOrderIndependent() {
        var rng = SplitMix64(seed: 42)
        let sites = [Self.siteA, Self.siteB, Self.siteC]
        let words = ["a\n", "b\n", "\n", "é\n", "e\u{301}\n", "x\r\n", "end"]
        for _ in 0..<60 {
            var revisions: [BodyRevision] = []
            var seqs: [String: Int64] = [:]
            for step in 0..<Int(rng.next() % 10 + 2) {
                let site = sites[Int(rng.next() % 3)]
                seqs[site, default: 0] += 1
                var base: [BodyRevision] = []
                for r in revisions where rng.next() % 3 == 0 { base.append(r) }
                let lines = (0..<Int(rng.next() % 6)).map { _ in words[Int(rng.next() % UInt64(words.count))] }
                revisions.append(Self.rev(site, seqs[site]!, Int64(step * 10 + Int(rng.next() % 15)), base, lines.joined()))
            }
            let expected = BodyMerge.resolve(revisions)
            for _ in 0..<5 {
                #expect(BodyMerge.resolve(revisions.shuffled(using: &rng)) == expected)
            }
        }
    }

    static func permutations<T>(_ items: [T]) -> [[T]] {
        if items.count <= 1 { return [items] }
        var result: [[T]] = []
        for (i, item) in items.enumerated() {
            var rest = items
            rest.remove(at: i)
            for p in permutations(rest) { result.append([item] + p) }
        }
        return result
    }
}
