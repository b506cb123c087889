import Foundation
import GlossStorage

/// Moves change records between a library and a remote (DESIGN §4): push what the remote lacks
/// for every site (relaying other replicas' changes too, SYNC-NOTES R11), then pull what this
/// library lacks, each batch applied in one transaction that also advances the library's
/// version vector (R14). Holds no locks and keeps no state of its own, so an interrupted sync is
/// resumed by running it again; every step is idempotent.
public struct SyncEngine: Sendable {
    /// Batch bounds.
    public struct Options: Sendable {
        /// Most changes in one batch.
        public var maxBatchCount: Int
        /// Most value bytes in one batch (a batch always takes at least one change, and one
        /// change is at most `Change.maxValueBytes`).
        public var maxBatchBytes: Int

        /// Most changes applied in one library transaction on pull (several batches read from
        /// the remote, within `maxBatchBytes`).
        public var maxApplyCount: Int

        public init(maxBatchCount: Int = 5000, maxBatchBytes: Int = 4 * 1024 * 1024, maxApplyCount: Int = 5000) {
            self.maxBatchCount = max(1, maxBatchCount)
            self.maxBatchBytes = max(1, maxBatchBytes)
            self.maxApplyCount = max(1, maxApplyCount)
        }
    }

    /// Where a running sync is, for a progress display.
    public struct Progress: Sendable, Hashable {
        public enum Phase: String, Sendable { case push, pull }
        public var phase: Phase
        /// Changes moved so far in this phase.
        public var done: Int
        /// Changes this phase has to move (known when the phase starts).
        public var total: Int
    }

    /// What a sync did.
    public struct Report: Sendable, Hashable {
        /// Changes sent to the remote.
        public var pushed = 0
        /// Changes received and new to this library.
        public var pulled = 0
        /// Changes received that this library already held.
        public var skipped = 0
        /// Things the user should know: clock skew, damaged remote files that were not applied.
        public var warnings: [String] = []
        /// The remote's version vector after the sync.
        public var remoteVector: VersionVector = [:]

        public init() {}
    }

    public let library: Library
    public let options: Options

    public init(library: Library, options: Options = .init()) {
        self.library = library
        self.options = options
    }

    /// Pushes, then pulls. Refuses (`SyncError.cloned`, before pushing anything) when the remote
    /// holds changes of this library's own site that the library does not have, or a different
    /// change at the same seq: this library is a copy of another one and writing would fork its
    /// log. A remote file or batch that fails verification is reported in `warnings` and not
    /// applied; that site's transfer stops there while the other sites go on.
    public func sync(
        with remote: any Remote, progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Report {
        var report = Report()
        var remoteVector = try await remote.versionVector()
        try await checkNotCloned(remote: remote, remoteVector: remoteVector)
        try await push(to: remote, remoteVector: &remoteVector, report: &report, progress: progress)
        try await pull(from: remote, remoteVector: remoteVector, report: &report, progress: progress)
        report.remoteVector = remoteVector
        report.warnings.append(contentsOf: remote.warnings)
        return report
    }

    /// Changes this library holds above `vector`, summed over sites: what a push would send.
    public func unpushed(comparedTo vector: VersionVector) throws -> Int {
        try library.versionVector().reduce(0) { sum, entry in sum + Int(max(0, entry.value - (vector[entry.key] ?? 0))) }
    }

    // MARK: Steps

    func checkNotCloned(remote: any Remote, remoteVector: VersionVector) async throws {
        let site = try library.site()
        let mine = try library.versionVector()[site] ?? 0
        let theirs = remoteVector[site] ?? 0
        if theirs > mine {
            // Evidence, not just a file name: the remote must really hold a valid change there
            // (a damaged file in this site's folder raises `damaged` here, naming the file).
            if try await !remote.pull(site: site, after: mine, limit: 1).isEmpty {
                throw Self.cloned(site: site, detail: "the remote holds \(theirs) changes of this library's site, this library only \(mine)")
            }
        }
        guard theirs > 0, theirs <= mine else { return }
        // Same length is not enough: the last common seq must be the same record.
        let remoteTip = try await remote.pull(site: site, after: theirs - 1, limit: 1).first
        let localTip = try library.changes(site: site, after: theirs - 1, limit: 1).first
        if let remoteTip, let localTip, remoteTip.hash != localTip.hash {
            throw Self.cloned(site: site, detail: "the remote holds a different change \(site):\(theirs)")
        }
    }

    static func cloned(site: String, detail: String) -> SyncError {
        SyncError(
            .cloned, "this library looks like a copy of another one: \(detail); nothing was pushed",
            hint: "keep syncing from the original; for this copy, start a new library (new GLOSS_HOME) and sync it from the remote")
    }

    func push(
        to remote: any Remote, remoteVector: inout VersionVector, report: inout Report,
        progress: @Sendable (Progress) -> Void
    ) async throws {
        let mine = try library.versionVector()
        let sites = mine.keys.filter { mine[$0]! > (remoteVector[$0] ?? 0) }.sorted()
        let total = sites.reduce(0) { $0 + Int(mine[$1]! - (remoteVector[$1] ?? 0)) }
        guard total > 0 else { return }
        var done = 0
        progress(Progress(phase: .push, done: 0, total: total))
        for site in sites {
            var after = remoteVector[site] ?? 0
            // The next batch is read from the library while the remote takes this one.
            var next: Task<[Change], any Error>? = read(site: site, after: after)
            while let reading = next {
                next = nil
                let batch = try await reading.value
                guard let last = batch.last else { break }
                if last.seq < mine[site]! { next = read(site: site, after: last.seq) }
                do {
                    try await remote.push(site: site, changes: batch)
                } catch {
                    next?.cancel()
                    throw error
                }
                after = last.seq
                remoteVector[site] = after
                done += batch.count
                report.pushed += batch.count
                progress(Progress(phase: .push, done: done, total: total))
            }
        }
    }

    func pull(
        from remote: any Remote, remoteVector: VersionVector, report: inout Report,
        progress: @Sendable (Progress) -> Void
    ) async throws {
        let mine = try library.versionVector()
        let sites = remoteVector.keys.filter { remoteVector[$0]! > (mine[$0] ?? 0) }.sorted()
        let total = sites.reduce(0) { $0 + Int(remoteVector[$1]! - (mine[$1] ?? 0)) }
        guard total > 0 else { return }
        var done = 0
        progress(Progress(phase: .pull, done: 0, total: total))
        for site in sites {
            let top = remoteVector[site]!
            // The next batch is read while the ones before are applied (the remote's reading and
            // verifying overlaps the library's writing), and batches read are applied together
            // up to `maxApplyCount` changes: one transaction, one commit for several.
            var next: Task<[Change], any Error>? = fetch(from: remote, site: site, after: mine[site] ?? 0)
            var pending: [Change] = []
            var pendingBytes = 0
            func applyPending() throws {
                guard !pending.isEmpty else { return }
                let applied: ApplyReport
                do {
                    applied = try library.apply(pending)
                } catch {
                    next?.cancel()
                    throw error
                }
                report.pulled += applied.applied
                report.skipped += applied.skipped
                report.warnings.append(contentsOf: applied.warnings)
                done += pending.count
                pending = []
                pendingBytes = 0
                progress(Progress(phase: .pull, done: done, total: total))
            }
            while let fetching = next {
                next = nil
                let batch: [Change]
                do {
                    batch = try await fetching.value
                } catch let error as SyncError where error.kind == .damaged {
                    try applyPending()
                    report.warnings.append(error.description)
                    break
                } catch {
                    try applyPending()  // keep what arrived before the failure
                    throw error
                }
                guard let last = batch.last else { break }
                if last.seq < top { next = fetch(from: remote, site: site, after: last.seq) }
                pending += batch
                pendingBytes += batch.reduce(0) { $0 + $1.valueBytes + 256 }
                if next == nil || pending.count >= options.maxApplyCount || pendingBytes >= options.maxBatchBytes {
                    try applyPending()
                }
            }
            try applyPending()
        }
    }

    private func read(site: String, after: Int64) -> Task<[Change], any Error> {
        let library = library
        let limit = options.maxBatchCount
        return Task { boundedByBytes(try library.changes(site: site, after: after, limit: limit)) }
    }

    private func fetch(from remote: any Remote, site: String, after: Int64) -> Task<[Change], any Error> {
        let limit = options.maxBatchCount
        return Task { try await remote.pull(site: site, after: after, limit: limit) }
    }

    /// The longest prefix of `changes` within the byte bound (at least one change).
    func boundedByBytes(_ changes: [Change]) -> [Change] {
        var bytes = 0
        for (i, change) in changes.enumerated() {
            bytes += change.valueBytes + 256
            if bytes > options.maxBatchBytes, i > 0 { return Array(changes[..<i]) }
        }
        return changes
    }
}
