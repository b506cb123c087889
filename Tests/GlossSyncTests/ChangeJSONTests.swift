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
}
