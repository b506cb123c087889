import Foundation

/// A hybrid logical clock stamp (Kulkarni et al. 2014; SYNC-NOTES R1): the high 48 bits are Unix
/// milliseconds, the low 16 bits a logical counter. It sorts as a plain integer. Stamps are not
/// unique across sites: order records by `(hlc, site)`.
public struct HLC: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }

    public init(millis: Int64, counter: UInt16) {
        rawValue = (millis << 16) | Int64(counter)
    }

    /// Unix milliseconds of the physical part.
    public var millis: Int64 { rawValue >> 16 }
    /// The logical counter.
    public var counter: UInt16 { UInt16(truncatingIfNeeded: rawValue & 0xFFFF) }

    public static let zero = HLC(rawValue: 0)

    public static func < (a: HLC, b: HLC) -> Bool { a.rawValue < b.rawValue }

    /// Sixteen lowercase hex digits: fixed width, sorts like the number, and exact in every JSON
    /// reader (a 64-bit number is not exact in JavaScript).
    public var description: String {
        let hex = String(UInt64(bitPattern: rawValue), radix: 16)
        return String(repeating: "0", count: max(0, 16 - hex.count)) + hex
    }

    /// Parses the form `description` prints.
    public init?(_ text: String) {
        guard text.count == 16, let bits = UInt64(text, radix: 16) else { return nil }
        rawValue = Int64(bitPattern: bits)
    }
}

extension HLC: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let stamp = HLC(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "hlc must be 16 hex digits"))
        }
        self = stamp
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
