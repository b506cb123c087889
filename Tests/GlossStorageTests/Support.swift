import Foundation
import Synchronization
@testable import GlossStorage

/// A wall clock tests can set and move.
final class TestClock: Sendable {
    private let now: Mutex<Int64>

    init(_ start: Int64 = 1_780_000_000_000) { now = Mutex(start) }

    func advance(_ ms: Int64) { now.withLock { $0 += ms } }
    var millis: Int64 { now.withLock { $0 } }
    var wall: @Sendable () -> Int64 { { [self] in self.now.withLock { $0 } } }
}

enum Scratch {
    /// A fresh, not yet created library folder under the temporary directory.
    static func folder(_ name: String = "lib") -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("gloss-storage-\(UUID().uuidString)", isDirectory: true)
            .appendingPathComponent(name, isDirectory: true)
    }

    static func library(clock: TestClock? = nil) throws -> Library {
        let options = clock.map { Library.Options(wall: $0.wall) } ?? Library.Options()
        return try Library.open(folder: folder(), options: options)
    }
}

extension Library {
    /// Every change this library holds, per site in seq order.
    func allChanges() throws -> [Change] {
        try versionVector().keys.sorted().flatMap { try changes(site: $0, after: 0, limit: .max) }
    }

    /// Pulls everything `other` holds that this library lacks.
    @discardableResult
    func pull(from other: Library) throws -> ApplyReport {
        let mine = try versionVector()
        var batch: [Change] = []
        for (site, top) in try other.versionVector() where top > mine[site, default: 0] {
            batch += try other.changes(site: site, after: mine[site, default: 0], limit: .max)
        }
        return try apply(batch)
    }

    func changeCount() throws -> Int { try versionVector().values.reduce(0) { $0 + Int($1) } }
}
