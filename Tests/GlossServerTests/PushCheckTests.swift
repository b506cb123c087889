import GlossServer
import GlossStorage
import GlossSync
import Testing

/// The push rules on their own (every store shares them).
@Suite("Push rules")
struct PushCheckTests {
    let log = Log.make(count: 6)

    @Test func aValidBatchPasses() throws {
        try PushCheck.validate(PushRequest(site: log[0].site, changes: log), maxChanges: 10)
        try PushCheck.validate(PushRequest(site: log[0].site, changes: []), maxChanges: 10)
    }

    @Test func theFirstChangeOfALogHasNoPrev() {
        let bad = Log.rehashed(log[0]) { $0.prev = log[1].hash }
        #expect(throws: PushRejection.self) {
            try PushCheck.validate(PushRequest(site: log[0].site, changes: [bad]), maxChanges: 10)
        }
    }

    @Test func planSkipsHeldRecordsAndInsertsTheRest() throws {
        let head = PushCheck.Head(seq: 3, hash: log[2].hash)
        let held = [2: log[1].hash, 3: log[2].hash] as [Int64: String]
        let plan = try PushCheck.plan(batch: Array(log[1..<6]), head: head, heldHashes: held)
        #expect(plan.skipped == 2)
        #expect(Array(plan.insert) == Array(log[3..<6]))
    }

    @Test func planRefusesGapsAndForks() {
        let head = PushCheck.Head(seq: 3, hash: log[2].hash)
        #expect(throws: PushRejection(.seqGap, "")) { _ = try Self.code(PushCheck.plan(batch: [log[4]], head: head, heldHashes: [:])) }
        #expect(throws: PushRejection(.seqGap, "")) { _ = try Self.code(PushCheck.plan(batch: [log[1]], head: nil, heldHashes: [:])) }
        let forked = Log.rehashed(log[2]) { $0.value = "other" }
        #expect(throws: PushRejection(.siteForked, "")) {
            _ = try Self.code(PushCheck.plan(batch: [forked], head: head, heldHashes: [3: log[2].hash]))
        }
        let unchained = Log.rehashed(log[3]) { $0.prev = log[1].hash }
        #expect(throws: PushRejection(.siteForked, "")) { _ = try Self.code(PushCheck.plan(batch: [unchained], head: head, heldHashes: [:])) }
    }

    /// Runs `plan`, keeping only the rejection's code (messages are for people).
    static func code<T>(_ work: @autoclosure () throws -> T) throws -> T {
        do {
            return try work()
        } catch let rejection as PushRejection {
            throw PushRejection(rejection.code, "")
        }
    }
}

@Suite("gzip")
struct GzipTests {
    @Test func roundTripsAndBoundsTheOutput() throws {
        let text = Array(String(repeating: "gloss ", count: 10_000).utf8)
        let gz = Gzip.compress(text)
        #expect(gz.count < text.count / 10)
        #expect(try Gzip.decompress(gz, limit: text.count) == text)
        #expect(throws: Gzip.Failure.tooLarge) { try Gzip.decompress(gz, limit: text.count - 1) }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(Array(gz.prefix(gz.count / 2)), limit: text.count) }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress(Array("not gzip".utf8), limit: 100) }
        #expect(throws: Gzip.Failure.corrupt) { try Gzip.decompress([], limit: 100) }
    }
}
