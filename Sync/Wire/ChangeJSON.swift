import Foundation
import GlossStorage

/// Writes changes as JSON without `JSONEncoder`: the bytes `Wire.encoder()` writes for the same
/// values (sorted keys, slashes unescaped, `value` left out when nil), at a fraction of the cost.
/// Sync moves changes by the hundred thousand, and Foundation's Codable encoding was the largest
/// share of the server's CPU. Tests hold the two byte for byte.
public enum ChangeJSON {
    /// One change as a JSON object.
    public static func encode(_ change: Change) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(320 + change.valueBytes)
        write(change, into: &out)
        return Data(out)
    }

    /// `{"changes":[…],"schema":N,"site":"…"}`, as `Wire.encoder()` encodes a `PushRequest`.
    public static func encode(_ request: PushRequest) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(64 + request.changes.reduce(0) { $0 + 320 + $1.valueBytes })
        out.append(contentsOf: #"{"changes":"#.utf8)
        writeArray(request.changes, into: &out)
        out.append(contentsOf: #","schema":"#.utf8)
        writeNumber(Int64(request.schema), into: &out)
        out.append(contentsOf: #","site":"#.utf8)
        writeString(request.site, into: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    /// `{"changes":[…],"more":B,"site":"…"}`, as `Wire.encoder()` encodes a `PullResponse`.
    public static func encode(_ response: PullResponse) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(64 + response.changes.reduce(0) { $0 + 320 + $1.valueBytes })
        out.append(contentsOf: #"{"changes":"#.utf8)
        writeArray(response.changes, into: &out)
        out.append(contentsOf: response.more ? #","more":true,"site":"#.utf8 : #","more":false,"site":"#.utf8)
        writeString(response.site, into: &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    private static func writeArray(_ changes: [Change], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, change) in changes.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            write(change, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// The keys in sorted order: base, entity, entityId, field, hash, hlc, prev, seq, site,
    /// value, wall.
    private static func write(_ c: Change, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"base":["#.utf8)
        for (i, ref) in c.base.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeString(ref.description, into: &out)
        }
        out.append(contentsOf: #"],"entity":"#.utf8)
        writeString(c.entity.rawValue, into: &out)
        out.append(contentsOf: #","entityId":"#.utf8)
        writeString(c.entityId, into: &out)
        out.append(contentsOf: #","field":"#.utf8)
        writeString(c.field, into: &out)
        out.append(contentsOf: #","hash":"#.utf8)
        writeString(c.hash, into: &out)
        out.append(contentsOf: #","hlc":"#.utf8)
        writeString(c.hlc.description, into: &out)
        out.append(contentsOf: #","prev":"#.utf8)
        writeString(c.prev, into: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        writeNumber(c.seq, into: &out)
        out.append(contentsOf: #","site":"#.utf8)
        writeString(c.site, into: &out)
        if let value = c.value {
            out.append(contentsOf: #","value":"#.utf8)
            writeString(value, into: &out)
        }
        out.append(contentsOf: #","wall":"#.utf8)
        writeNumber(c.wall, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func writeNumber(_ number: Int64, into out: inout [UInt8]) {
        out.append(contentsOf: String(number).utf8)
    }

    /// A JSON string: quote and backslash escaped, control characters as `\b \f \n \r \t` or
    /// `\u00XX`, everything else (slashes and non-ASCII included) as its UTF-8 bytes.
    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[start..<i])
                start = i + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
                case 0x08: out.append(contentsOf: #"\b"#.utf8)
                case 0x0C: out.append(contentsOf: #"\f"#.utf8)
                case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
                case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
                case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
                default:
                    let digits = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: #"\u00"#.utf8)
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: bytes[start...])
        }
        out.append(UInt8(ascii: "\""))
    }
}
