import Foundation

/// Any JSON value, decoded strictly (a number is never a Bool), for checking documents.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let v = try? c.decode(Bool.self) { self = .bool(v); return }
        if let v = try? c.decode(Int64.self) { self = .integer(v); return }
        if let v = try? c.decode(Double.self) { self = .number(v); return }
        if let v = try? c.decode(String.self) { self = .string(v); return }
        if let v = try? c.decode([JSONValue].self) { self = .array(v); return }
        self = .object(try c.decode([String: JSONValue].self))
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { s } else { nil } }
    var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
    var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
}

/// A validator for the subset of JSON Schema (2020-12) that docs/openapi.json uses: `$ref` (local),
/// `type` (one or a list), `properties`, `required`, `additionalProperties`, `propertyNames`,
/// `items`, `enum`, `minimum`, `maximum`, `minLength`, `maxLength`, `pattern`, and `format:
/// date-time`. An unknown keyword fails the check, so the document cannot outgrow the validator
/// unnoticed.
struct SchemaValidator {
    let document: JSONValue

    static let annotations: Set<String> = ["description", "default", "title", "example", "examples"]
    static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "propertyNames", "items", "enum",
        "minimum", "maximum", "minLength", "maxLength", "pattern", "format",
    ]

    /// Follows a local `$ref` (`#/a/b/c`).
    func resolve(_ ref: String) -> JSONValue? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in ref.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    /// Problems found, as `path: what`; empty when `value` conforms.
    func validate(_ value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard let rules = schema.object else { return ["\(path): schema is not an object"] }
        var problems: [String] = []
        for key in rules.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            problems.append("\(path): validator does not know keyword \(key)")
        }
        if let ref = rules["$ref"]?.string {
            guard let target = resolve(ref) else { return ["\(path): unresolved \(ref)"] }
            problems += validate(value, against: target, at: path)
        }
        if let type = rules["type"] {
            let allowed = type.array?.compactMap(\.string) ?? [type.string].compactMap { $0 }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                problems.append("\(path): expected \(allowed.joined(separator: "|")), got \(value)")
                return problems
            }
        }
        if let options = rules["enum"]?.array, !options.contains(value) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        switch value {
        case .integer(let n):
            if case .integer(let min)? = rules["minimum"], n < min { problems.append("\(path): \(n) < \(min)") }
            if case .integer(let max)? = rules["maximum"], n > max { problems.append("\(path): \(n) > \(max)") }
        case .string(let s):
            if case .integer(let min)? = rules["minLength"], s.count < min { problems.append("\(path): shorter than \(min)") }
            if case .integer(let max)? = rules["maxLength"], s.count > max { problems.append("\(path): longer than \(max)") }
            if let pattern = rules["pattern"]?.string,
                s.range(of: pattern, options: .regularExpression) == nil
            {
                problems.append("\(path): \"\(s.prefix(80))\" does not match \(pattern)")
            }
            if rules["format"]?.string == "date-time", ISO8601DateFormatter().date(from: s) == nil {
                problems.append("\(path): \"\(s)\" is not a date-time")
            }
        case .array(let items):
            if let itemSchema = rules["items"] {
                for (i, item) in items.enumerated() { problems += validate(item, against: itemSchema, at: "\(path)[\(i)]") }
            }
        case .object(let members):
            for name in rules["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                problems.append("\(path): missing \(name)")
            }
            let properties = rules["properties"]?.object ?? [:]
            for (name, member) in members {
                if let names = rules["propertyNames"] {
                    problems += validate(.string(name), against: names, at: "\(path) key \(name)")
                }
                if let propertySchema = properties[name] {
                    problems += validate(member, against: propertySchema, at: "\(path).\(name)")
                } else if let extra = rules["additionalProperties"] {
                    if case .bool(false) = extra {
                        problems.append("\(path): unexpected property \(name)")
                    } else if extra.object != nil {
                        problems += validate(member, against: extra, at: "\(path).\(name)")
                    }
                }
            }
        default:
            break
        }
        return problems
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("string", .string),
            ("array", .array), ("object", .object), ("number", .integer), ("number", .number):
            true
        default:
            false
        }
    }
}
