/// HTTP header fields in order, with case-insensitive lookup by name.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public typealias Field = (name: String, value: String)

    private var names: [String] = []
    private var values: [String] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { add(name: name, value: value) }
    }

    /// Appends a field, keeping any earlier field of the same name.
    public mutating func add(name: String, value: String) {
        names.append(name)
        values.append(value)
    }

    /// Replaces every field named `name` (any case) with one field.
    public mutating func set(name: String, value: String) {
        remove(name: name)
        add(name: name, value: value)
    }

    public mutating func remove(name: String) {
        let lowered = name.lowercased()
        let kept = zip(names, values).filter { $0.0.lowercased() != lowered }
        names = kept.map(\.0)
        values = kept.map(\.1)
    }

    /// The first value of the field named `name`, in any case; `nil` when absent.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return zip(names, values).first { $0.0.lowercased() == lowered }?.1
    }

    /// Every value of the field named `name`, in any case, in order.
    public func values(for name: String) -> [String] {
        let lowered = name.lowercased()
        return zip(names, values).filter { $0.0.lowercased() == lowered }.map(\.1)
    }

    public var count: Int { names.count }

    public func makeIterator() -> AnyIterator<Field> {
        var index = 0
        return AnyIterator {
            guard index < names.count else { return nil }
            defer { index += 1 }
            return (names[index], values[index])
        }
    }
}
