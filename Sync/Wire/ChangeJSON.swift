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

// MARK: Reading

extension ChangeJSON {
    /// Reads one change, or nil when the bytes are anything but the plain form the writer makes
    /// (unknown or repeated keys, a number with a fraction or exponent, invalid UTF-8, …): the
    /// caller then falls back to `Wire.decoder()`, which accepts or refuses exactly as before.
    public static func decodeChange(_ data: Data) -> Change? {
        data.withUnsafeBytes { raw in
            var reader = Reader(raw.bindMemory(to: UInt8.self))
            guard let change = reader.change(), reader.atEnd() else { return nil }
            return change
        }
    }

    /// Reads a `PushRequest` (nil: fall back, as `decodeChange`).
    public static func decodePush(_ data: Data) -> PushRequest? {
        data.withUnsafeBytes { raw in
            var reader = Reader(raw.bindMemory(to: UInt8.self))
            var changes: [Change]?, schema: Int64?, site: String?
            let read = reader.object { reader, key in
                switch key {
                case "changes": return once(&changes, reader.changes())
                case "schema": return once(&schema, reader.integer())
                case "site": return once(&site, reader.string())
                default: return false
                }
            }
            guard read, reader.atEnd(), let changes, let schema, let site, let schemaInt = Int(exactly: schema) else { return nil }
            return PushRequest(schema: schemaInt, site: site, changes: changes)
        }
    }

    /// Reads a `PullResponse` (nil: fall back, as `decodeChange`).
    public static func decodePull(_ data: Data) -> PullResponse? {
        data.withUnsafeBytes { raw in
            var reader = Reader(raw.bindMemory(to: UInt8.self))
            var changes: [Change]?, more: Bool?, site: String?
            let read = reader.object { reader, key in
                switch key {
                case "changes": return once(&changes, reader.changes())
                case "more": return once(&more, reader.bool())
                case "site": return once(&site, reader.string())
                default: return false
                }
            }
            guard read, reader.atEnd(), let changes, let more, let site else { return nil }
            return PullResponse(site: site, changes: changes, more: more)
        }
    }

    /// A JSON reader for the shapes above; every method returns nil (or false) rather than guess.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func atEnd() -> Bool {
            skipSpace()
            return at == bytes.count
        }

        /// `{ "key": value, … }`, each value read by `field` (false: give up).
        mutating func object(_ field: (inout Reader, String) -> Bool) -> Bool {
            guard take(UInt8(ascii: "{")) else { return false }
            if take(UInt8(ascii: "}")) { return true }
            repeat {
                guard let key = string(), take(UInt8(ascii: ":")), field(&self, key) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "}"))
        }

        mutating func array(_ element: (inout Reader) -> Bool) -> Bool {
            guard take(UInt8(ascii: "[")) else { return false }
            if take(UInt8(ascii: "]")) { return true }
            repeat {
                guard element(&self) else { return false }
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]"))
        }

        mutating func literal(_ word: StaticString) -> Bool {
            skipSpace()
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { return false }
            for i in 0..<count where bytes[at + i] != word.utf8Start[i] { return false }
            at += count
            return true
        }

        mutating func bool() -> Bool? {
            if literal("true") { return true }
            if literal("false") { return false }
            return nil
        }

        /// An integer written plainly: `-?(0|[1-9][0-9]*)`, in range, no fraction or exponent.
        mutating func integer() -> Int64? {
            skipSpace()
            var i = at
            let negative = i < bytes.count && bytes[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            let start = i
            var magnitude: UInt64 = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[i] - 0x30))
                guard !o1, !o2 else { return nil }
                magnitude = sum
                i += 1
            }
            guard i > start, !(bytes[start] == 0x30 && i - start > 1), !(negative && magnitude == 0) else { return nil }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                return nil
            }
            let value: Int64
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
                value = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            } else {
                guard magnitude <= UInt64(Int64.max) else { return nil }
                value = Int64(magnitude)
            }
            at = i
            return value
        }

        /// A string: escapes decoded (a lone surrogate gives up), the result valid UTF-8.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = at
            // Plain run: no escape before the closing quote.
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") {
                if bytes[at] < 0x20 { return nil }
                at += 1
            }
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: "\"") {
                at += 1
                return String(validating: UnsafeBufferPointer(rebasing: bytes[start..<(at - 1)]), as: UTF8.self)
            }
            var out = Array(bytes[start..<at])
            while at < bytes.count {
                let byte = bytes[at]
                at += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(validating: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { return nil }
                    let escape = bytes[at]
                    at += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        guard var unit = hex4() else { return nil }
                        var scalarValue = UInt32(unit)
                        if (0xD800...0xDBFF).contains(unit) {
                            guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { return nil }
                            at += 2
                            guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                            unit = 0
                        }
                        guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                        out.append(contentsOf: UTF8.encode(scalar)!)
                    default:
                        return nil
                    }
                default:
                    if byte < 0x20 { return nil }
                    out.append(byte)
                }
            }
            return nil
        }

        private mutating func hex4() -> UInt16? {
            guard at + 4 <= bytes.count else { return nil }
            var value: UInt16 = 0
            for _ in 0..<4 {
                let byte = bytes[at]
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt16(digit)
                at += 1
            }
            return value
        }

        mutating func changes() -> [Change]? {
            var out: [Change] = []
            let read = array { reader in
                guard let change = reader.change() else { return false }
                out.append(change)
                return true
            }
            return read ? out : nil
        }

        /// A change object: every key of the writer's form once (`value` may be absent or null).
        mutating func change() -> Change? {
            var base: [ChangeRef]?, entity: EntityKind?, entityId: String?, field: String?, hash: String?
            var hlc: HLC?, prev: String?, seq: Int64?, site: String?, wall: Int64?
            var value: String??
            let read = object { reader, key in
                switch key {
                case "base":
                    var refs: [ChangeRef] = []
                    let read = reader.array { reader in
                        guard let text = reader.string(), let ref = ChangeRef(text) else { return false }
                        refs.append(ref)
                        return true
                    }
                    return once(&base, read ? refs : nil)
                case "entity": return once(&entity, reader.string().flatMap(EntityKind.init(rawValue:)))
                case "entityId": return once(&entityId, reader.string())
                case "field": return once(&field, reader.string())
                case "hash": return once(&hash, reader.string())
                case "hlc": return once(&hlc, reader.string().flatMap(HLC.init))
                case "prev": return once(&prev, reader.string())
                case "seq": return once(&seq, reader.integer())
                case "site": return once(&site, reader.string())
                case "wall": return once(&wall, reader.integer())
                case "value":
                    // Absent or null: no value. A string: the value.
                    return once(&value, reader.literal("null") ? .some(nil) : reader.string().map { .some($0) })
                default:
                    return false
                }
            }
            guard read, let base, let entity, let entityId, let field, let hash, let hlc, let prev, let seq, let site, let wall
            else { return nil }
            return Change(
                site: site, seq: seq, entity: entity, entityId: entityId, field: field, value: value ?? nil, hlc: hlc,
                base: base, wall: wall, prev: prev, hash: hash)
        }
    }
}

/// Sets a key's value once: false (give up) for a repeated key or a value that did not read.
private func once<T>(_ slot: inout T?, _ value: T?) -> Bool {
    guard slot == nil, let value else { return false }
    slot = value
    return true
}
