import Crypto
import Foundation

/// What a change record is about.
public enum EntityKind: String, Codable, Sendable, CaseIterable {
    case note
    case article
}

/// Names one change record: a site and its sequence number. Body revisions are named this way,
/// and a change's `base` lists the revisions it replaced. Text form: `<site>:<seq>`.
public struct ChangeRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var site: String
    public var seq: Int64

    public init(site: String, seq: Int64) {
        self.site = site
        self.seq = seq
    }

    public var description: String { site + ":" + String(seq) }

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"),
            let seq = Int64(text[text.index(after: colon)...]), seq > 0
        else { return nil }
        let site = String(text[..<colon])
        guard Site.isValid(site) else { return nil }
        self.init(site: site, seq: seq)
    }

    public static func < (a: ChangeRef, b: ChangeRef) -> Bool {
        (a.site, a.seq) < (b.site, b.seq)
    }
}

extension ChangeRef: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let ref = ChangeRef(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected <site>:<seq>"))
        }
        self = ref
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Site ids: 32 lowercase hex digits (128 random bits), made when a library is created.
public enum Site {
    public static func random() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    public static func isValid(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// One change record (DESIGN.md §3): the unit that is logged, hashed, synced and applied.
///
/// `value` is text whose meaning the `field` fixes (plain text for bodies and titles, `true` /
/// `false` for flags and tags, decimal for numbers, JSON text for anchors); `nil` clears the
/// field. `base` names the revisions this write replaced (note bodies; empty elsewhere).
/// `wall` is the writer's wall clock in Unix ms, for times shown to users (never for ordering).
/// `prev` is the hash of the same site's previous change ("" for seq 1) and `hash` the SHA-256 of
/// this record's content including `prev` — together a hash chain per site (SYNC-NOTES R13–R15).
public struct Change: Codable, Hashable, Sendable {
    public var site: String
    public var seq: Int64
    public var entity: EntityKind
    public var entityId: String
    public var field: String
    public var value: String?
    public var hlc: HLC
    public var base: [ChangeRef]
    public var wall: Int64
    public var prev: String
    public var hash: String

    public init(
        site: String, seq: Int64, entity: EntityKind, entityId: String, field: String,
        value: String?, hlc: HLC, base: [ChangeRef] = [], wall: Int64, prev: String
    ) {
        self.init(
            site: site, seq: seq, entity: entity, entityId: entityId, field: field, value: value, hlc: hlc,
            base: base, wall: wall, prev: prev, hash: "")
        hash = computedHash()
    }

    /// A record as received: `hash` is taken as given (check `hashIsValid` before trusting it).
    public init(
        site: String, seq: Int64, entity: EntityKind, entityId: String, field: String,
        value: String?, hlc: HLC, base: [ChangeRef], wall: Int64, prev: String, hash: String
    ) {
        self.site = site
        self.seq = seq
        self.entity = entity
        self.entityId = entityId
        self.field = field
        self.value = value
        self.hlc = hlc
        self.base = base
        self.wall = wall
        self.prev = prev
        self.hash = hash
    }

    public var ref: ChangeRef { ChangeRef(site: site, seq: seq) }

    /// Bytes of the value, the quantity the per-change size cap (`Change.maxValueBytes`) bounds.
    public var valueBytes: Int { value?.utf8.count ?? 0 }

    /// The largest value one change may carry: 2 MiB (an article's sanitized HTML included).
    /// The server's request limit sits above it, so no single change can block a sync.
    public static let maxValueBytes = 2 * 1024 * 1024

    /// SHA-256 (lowercase hex) over a length-prefixed encoding of every field but `hash`.
    /// Length prefixes make the encoding unambiguous whatever the fields contain.
    public func computedHash() -> String {
        var encoder = HashInput(capacity: 256 + valueBytes)
        encoder.put("gloss-change-v1")
        encoder.put(site)
        encoder.putDecimal(seq)
        encoder.put(entity.rawValue)
        encoder.put(entityId)
        encoder.put(field)
        if let value {
            encoder.put("v")
            encoder.put(value)
        } else {
            encoder.put("-")
        }
        encoder.putHex16(hlc.rawValue)
        encoder.putRefs(base)
        encoder.putDecimal(wall)
        encoder.put(prev)
        var hasher = SHA256()
        encoder.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        let digest = hasher.finalize()
        return digest.withUnsafeBytes { Self.hex($0) }
    }

    /// Lowercase hex of bytes.
    static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            let digits: StaticString = "0123456789abcdef"
            let table = digits.utf8Start
            for (i, byte) in bytes.enumerated() {
                out[2 * i] = table[Int(byte >> 4)]
                out[2 * i + 1] = table[Int(byte & 0x0F)]
            }
            return bytes.count * 2
        }
    }

    /// True when `hash` matches the content.
    public var hashIsValid: Bool { hash == computedHash() }
}

/// Highest contiguous sequence number held per site.
public typealias VersionVector = [String: Int64]

/// The bytes a change's hash covers: each field as `<byte count>:<bytes>`, written straight
/// into one buffer (the hash is checked for every change a pull applies).
private struct HashInput {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func put(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            appendDecimal(Int64(utf8.count))
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A number in decimal, as a field.
    mutating func putDecimal(_ number: Int64) {
        appendDecimal(Int64(Self.decimalWidth(number)))
        bytes.append(UInt8(ascii: ":"))
        appendDecimal(number)
    }

    /// A stamp as sixteen lowercase hex digits (`HLC.description`), as a field.
    mutating func putHex16(_ raw: Int64) {
        bytes.append(contentsOf: "16:".utf8)
        let bits = UInt64(bitPattern: raw)
        for shift in stride(from: 60, through: 0, by: -4) {
            let digit = UInt8((bits >> UInt64(shift)) & 0xF)
            bytes.append(digit < 10 ? 48 + digit : 87 + digit)
        }
    }

    /// Refs as `<site>:<seq>` joined by commas, as a field.
    mutating func putRefs(_ refs: [ChangeRef]) {
        var length = max(0, refs.count - 1)
        for ref in refs { length += ref.site.utf8.count + 1 + Self.decimalWidth(ref.seq) }
        appendDecimal(Int64(length))
        bytes.append(UInt8(ascii: ":"))
        for (i, ref) in refs.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: ref.site.utf8)
            bytes.append(UInt8(ascii: ":"))
            appendDecimal(ref.seq)
        }
    }

    /// Characters of a number in decimal (with its sign).
    private static func decimalWidth(_ number: Int64) -> Int {
        var magnitude = number.magnitude
        var width = number < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            width += 1
        }
        return width
    }

    private mutating func appendDecimal(_ number: Int64) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }
}
