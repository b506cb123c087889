import Foundation

/// Warnings gathered by the exchanges of one remote: the first of each key, in order.
final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [(key: String, text: String)] = []

    func add(_ text: String, key: String) {
        lock.lock()
        defer { lock.unlock() }
        if !items.contains(where: { $0.key == key }) { items.append((key, text)) }
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items.map(\.text)
    }
}
