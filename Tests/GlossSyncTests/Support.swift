import Foundation
import GlossStorage

@testable import GlossSync

/// A seeded generator (SplitMix64): the same seed gives the same run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }
}

/// A wall clock tests move by hand (never the system clock, never slept on).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64

    init(_ millis: Int64 = 1_700_000_000_000) { self.millis = millis }

    func now() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        return millis
    }

    func advance(_ delta: Int64) {
        lock.lock()
        millis += delta
        lock.unlock()
    }

    /// A wall for `Library.Options` that reads this clock plus a fixed offset.
    func wall(offset: Int64 = 0) -> @Sendable () -> Int64 { { [self] in now() + offset } }
}

enum TestFolders {
    static func make(_ name: String) -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("gloss-sync-test-\(UUID().uuidString)", isDirectory: true)
            .appendingPathComponent(name, isDirectory: true)
    }

    static func folderRemote() throws -> FolderRemote {
        let remote = FolderRemote(root: make("remote"))
        try FileManager.default.createDirectory(at: remote.root.deletingLastPathComponent(), withIntermediateDirectories: true)
        try remote.prepare()
        return remote
    }
}

/// A remote that fails after a number of calls: an interrupted sync.
struct InterruptedRemote: Remote {
    struct Interrupted: Error {}
    let base: any Remote
    let budget: Budget

    final class Budget: @unchecked Sendable {
        private let lock = NSLock()
        private var left: Int
        init(_ calls: Int) { left = calls }
        func spend() throws {
            lock.lock()
            defer { lock.unlock() }
            if left <= 0 { throw Interrupted() }
            left -= 1
        }
    }

    init(_ base: any Remote, calls: Int) {
        self.base = base
        self.budget = Budget(calls)
    }

    func versionVector() async throws -> VersionVector {
        try budget.spend()
        return try await base.versionVector()
    }

    func push(site: String, changes: [Change]) async throws {
        try budget.spend()
        try await base.push(site: site, changes: changes)
    }

    func pull(site: String, after: Int64, limit: Int) async throws -> [Change] {
        try budget.spend()
        return try await base.pull(site: site, after: after, limit: limit)
    }
}

extension Library {
    /// Every change this library holds, all sites, in (site, seq) order.
    func allChanges() throws -> [Change] {
        var result: [Change] = []
        for site in try versionVector().keys.sorted() {
            result.append(contentsOf: try changes(site: site, after: 0, limit: Int.max / 2))
        }
        return result
    }
}
