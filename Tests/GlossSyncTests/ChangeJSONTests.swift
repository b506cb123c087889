import Foundation
import GlossStorage
import Testing
@testable import GlossSync

@Suite struct ChangeJSONTests {
    /// Random text from pieces that exercise every escaping rule: quotes, backslashes, slashes,
    /// each control character, DEL, non-ASCII, line separators, emoji.
    static func text(_ random: inout SystemRandomNumberGenerator) -> String {
        let pieces = ["a", "word ", "\"", "\\", "/", "</script>", "\u{7F}", "é", "東京", "👍🏽", "\u{2028}", "\u{2029}", "\u{FEFF}"]
            + (0..<32).map { String(UnicodeScalar(UInt8($0))) }
        return (0..<Int.random(in: 0..<24, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
    }

    static func change(_ random: inout SystemRandomNumberGenerator) -> Change {
        let site = Site.random()
        return Change(
            site: site, seq: Int64.random(in: 1...Int64.max, using: &random), entity: Bool.random(using: &random) ? .note : .article,
            entityId: text(&random), field: text(&random), value: Bool.random(using: &random) ? text(&random) : nil,
            hlc: HLC(rawValue: Int64.random(in: Int64.min...Int64.max, using: &random)),
            base: (0..<Int.random(in: 0..<3, using: &random)).map { _ in ChangeRef(site: Site.random(), seq: Int64.random(in: 1...999, using: &random)) },
            wall: Int64.random(in: Int64.min...Int64.max, using: &random), prev: text(&random))
    }

    /// The fast writer gives exactly the bytes `Wire.encoder()` gives, so stored records, push
    /// bodies and pull pages are the same whichever wrote them.
    @Test func theFastWriterIsByteForByteTheWireEncoder() throws {
        var random = SystemRandomNumberGenerator()
        let encoder = Wire.encoder()
        for _ in 0..<500 {
            let change = Self.change(&random)
            #expect(ChangeJSON.encode(change) == (try encoder.encode(change)), "\(change)")
        }
        let changes = (0..<20).map { _ in Self.change(&random) }
        let push = PushRequest(site: Site.random(), changes: changes)
        #expect(ChangeJSON.encode(push) == (try encoder.encode(push)))
        for more in [true, false] {
            let page = PullResponse(site: Site.random(), changes: changes, more: more)
            #expect(ChangeJSON.encode(page) == (try encoder.encode(page)))
        }
        let empty = PullResponse(site: Site.random(), changes: [], more: false)
        #expect(ChangeJSON.encode(empty) == (try encoder.encode(empty)))
        // And it reads back as the same values.
        #expect(try Wire.decoder().decode(PushRequest.self, from: ChangeJSON.encode(push)) == push)
    }

    /// The fast reader gives the values `Wire.decoder()` gives for everything the writer makes,
    /// and for escaped forms other writers may use.
    @Test func theFastReaderReadsWhatTheWireDecoderReads() throws {
        var random = SystemRandomNumberGenerator()
        let encoder = Wire.encoder()
        for _ in 0..<300 {
            let change = Self.change(&random)
            let data = try encoder.encode(change)
            #expect(ChangeJSON.decodeChange(data) == change)
        }
        let changes = (0..<10).map { _ in Self.change(&random) }
        let push = PushRequest(site: Site.random(), changes: changes)
        #expect(ChangeJSON.decodePush(try encoder.encode(push)) == push)
        let page = PullResponse(site: Site.random(), changes: changes, more: true)
        #expect(ChangeJSON.decodePull(try encoder.encode(page)) == page)

        // Whitespace, escaped slashes, \u escapes (a surrogate pair among them), null value.
        let site = "0123456789abcdef0123456789abcdef"
        let other = #"""
            { "wall" : 5 , "value" : null, "site" : "\#(site)", "seq" : 7, "prev" : "p\/q",
              "hlc" : "00000000000000ff", "hash" : "h", "field" : "t\u00e9\ud83d\ude00\n", "entityId" : "n",
              "entity" : "note", "base" : [ "\#(site):3" ] }
            """#
        let decoded = try #require(ChangeJSON.decodeChange(Data(other.utf8)))
        #expect(decoded == (try Wire.decoder().decode(Change.self, from: Data(other.utf8))))
        #expect(decoded.field == "té😀\n" && decoded.prev == "p/q" && decoded.value == nil && decoded.base.count == 1)
    }

    /// On damaged or unusual input the fast reader either agrees with `Wire.decoder()` or steps
    /// aside (nil), never accepting what the decoder refuses or reading it differently.
    @Test func theFastReaderNeverDisagreesWithTheWireDecoder() throws {
        var random = SystemRandomNumberGenerator()
        let encoder = Wire.encoder()
        let swaps: [(String, String)] = [
            (#""seq":"#, #""seq":1.0,"x":"#), (#""seq":"#, #""seq":-0,"x":"#), (#""wall":"#, #""wall":1e3,"x":"#),
            (#""entity":"#, #""entity":"bogus","x":"#), (#""hlc":""#, #""hlc":"1"#), (#""base":["#, #""base":["x","#),
            (#""site":"#, #""site":"a","site":"#), (#""value":"#, #""value":5,"x":"#), (#"\n"#, #"\x"#), (#"\""#, #"\ud800"#),
        ]
        var checked = 0
        for round in 0..<2_000 {
            var bytes = Array(try encoder.encode(Self.change(&random)))
            if round % 2 == 0, !bytes.isEmpty {
                // A random byte changed, removed or inserted.
                let i = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: i)
                }
            } else {
                let (from, to) = swaps.randomElement(using: &random)!
                var text = String(decoding: bytes, as: UTF8.self)
                if let range = text.range(of: from) { text.replaceSubrange(range, with: to) }
                bytes = Array(text.utf8)
            }
            let data = Data(bytes)
            let slow = try? Wire.decoder().decode(Change.self, from: data)
            if let fast = ChangeJSON.decodeChange(data) {
                #expect(fast == slow, "\(String(decoding: bytes, as: UTF8.self))")
                checked += 1
            }
        }
        #expect(checked > 0)
    }
}
