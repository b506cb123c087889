import Foundation
import GlossStorage

/// A remote that is a plain directory: a USB stick, a Syncthing or Dropbox folder, a network
/// share (DESIGN §4, SYNC-NOTES R12).
///
/// Layout: `<root>/gloss-remote.json` marks the folder; each site's log is a directory
/// `<root>/<site>/` of immutable batch files `<first>-<last>.json` (seqs zero-padded to 12
/// digits), each holding the changes `first...last` of that site. A file is written under a
/// temporary name, flushed to disk (fsync), then linked to its final name, which fails rather
/// than replaces when the name exists — so files never change once visible, and two machines
/// writing at once corrupt nothing: the same range written twice with the same content is
/// harmless, with different content it is a forked log, reported.
///
/// Readers follow each site's files from seq 1 and stop at the first missing range; files may
/// overlap (two writers with different batch boundaries). Every change pulled is verified — its
/// file name, site, seq, content hash and the prev-hash chain — and a file that fails is
/// reported (`SyncError.damaged`), never applied. Unrelated files in the folder are ignored.
public final class FolderRemote: Remote, @unchecked Sendable {
    /// The folder.
    public let root: URL

    /// Largest batch file read (bytes): a batch holds at most a few MiB; anything bigger is not ours.
    public static let maxFileBytes = 64 * 1024 * 1024
    static let markerName = "gloss-remote.json"
    static let markerContent = #"{"format":"gloss-folder-remote","version":1}"# + "\n"

    /// Last (seq, hash) known per site, so a push can check the prev chain without rereading.
    private let lock = NSLock()
    private var tips: [String: (seq: Int64, hash: String)] = [:]

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Creates the folder (its parent must exist) and its marker file, if missing.
    public func prepare() throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if !fm.fileExists(atPath: root.path, isDirectory: &isDir) {
            do {
                try fm.createDirectory(at: root, withIntermediateDirectories: false)
            } catch {
                throw SyncError(
                    .unavailable, "cannot create the remote folder \(root.path)",
                    hint: "check that its parent folder exists and is writable")
            }
        } else if !isDir.boolValue {
            throw SyncError(.config, "\(root.path) is a file, not a folder", hint: "give a folder path")
        }
        let marker = root.appendingPathComponent(Self.markerName)
        if !fm.fileExists(atPath: marker.path) {
            try writeAtomically(Data(Self.markerContent.utf8), to: marker, in: root)
        }
    }

    // MARK: Remote

    public func versionVector() async throws -> VersionVector {
        try checkRoot()
        var vector: VersionVector = [:]
        for site in try siteDirectories() {
            let end = contiguousEnd(of: try batchFiles(of: site))
            if end > 0 { vector[site] = end }
        }
        return vector
    }

    public func push(site: String, changes: [Change]) async throws {
        guard !changes.isEmpty else { return }
        try checkRoot()
        guard Site.isValid(site) else {
            throw SyncError(.damaged, "refusing to push changes of an invalid site id \(site)", hint: "this is a bug in the caller")
        }
        for (i, change) in changes.enumerated() {
            guard change.site == site, change.hashIsValid,
                i == 0 || (change.seq == changes[i - 1].seq + 1 && change.prev == changes[i - 1].hash)
            else {
                throw SyncError(
                    .damaged, "refusing to push a batch of site \(site) that is not one valid contiguous run",
                    hint: "this is a bug in the caller")
            }
        }
        let dir = root.appendingPathComponent(site, isDirectory: true)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
        let files = try batchFiles(of: site)
        let end = contiguousEnd(of: files)

        // Records the folder already has must be the same records: else the log forked.
        let overlap = changes.filter { $0.seq <= end }
        if let first = overlap.first, let last = overlap.last {
            let held = try readRange(site: site, files: files, from: first.seq, through: last.seq)
            for (mine, theirs) in zip(overlap, held) where mine.hash != theirs.hash {
                throw Self.forked(site: site, seq: mine.seq)
            }
        }
        let fresh = changes.filter { $0.seq > end }
        guard let first = fresh.first, let last = fresh.last else { return }
        if first.seq > end + 1 {
            throw SyncError(
                .gap, "cannot push seq \(first.seq) of site \(site): the folder holds only up to \(end)",
                hint: "push the missing changes first")
        }
        if end > 0, first.prev != (try tipHash(site: site, seq: end, files: files)) {
            throw Self.forked(site: site, seq: first.seq)
        }

        let file = dir.appendingPathComponent(Self.fileName(first: first.seq, last: last.seq))
        let data = try Self.encode(BatchFile(site: site, changes: fresh))
        if try !linkNew(data, to: file, in: dir) {
            // The name exists: another writer got there first. Same content is fine.
            let existing = try readBatch(file, site: site, first: first.seq, last: last.seq)
            for (mine, theirs) in zip(fresh, existing) where mine.hash != theirs.hash {
                throw Self.forked(site: site, seq: mine.seq)
            }
        }
        remember(site: site, seq: last.seq, hash: last.hash)
    }

    public func pull(site: String, after: Int64, limit: Int) async throws -> [Change] {
        try checkRoot()
        guard Site.isValid(site), limit > 0 else { return [] }
        let files = try batchFiles(of: site)
        let end = contiguousEnd(of: files)
        guard end > after else { return [] }
        return try readRange(site: site, files: files, from: after + 1, through: min(end, after + Int64(limit)))
    }

    // MARK: Files

    struct BatchName: Hashable {
        var first: Int64
        var last: Int64
        var url: URL
    }

    struct BatchFile: Codable {
        var format = 1
        var site: String
        var changes: [Change]
    }

    static func fileName(first: Int64, last: Int64) -> String {
        String(format: "%012lld-%012lld.json", first, last)
    }

    static func parseName(_ name: String) -> (Int64, Int64)? {
        guard name.hasSuffix(".json"), !name.hasPrefix(".") else { return nil }
        let parts = name.dropLast(5).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 12 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let first = Int64(parts[0]), let last = Int64(parts[1]), first >= 1, last >= first
        else { return nil }
        return (first, last)
    }

    static func encode(_ batch: BatchFile) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(batch)
    }

    static func forked(site: String, seq: Int64) -> SyncError {
        SyncError(
            .forked, "the remote holds a different change \(site):\(seq) than this library: the log of site \(site) forked",
            hint: "a copied library or restored backup wrote under the same site id; keep the original and re-create the copy from a sync")
    }

    private func checkRoot() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw SyncError(
                .unavailable, "the remote folder \(root.path) does not exist",
                hint: "mount the drive or fix the path with `gloss remote rm` and `gloss remote add`")
        }
    }

    private func siteDirectories() throws -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root.path)
        } catch {
            throw SyncError(.unavailable, "cannot read the remote folder \(root.path)", hint: "check its permissions")
        }
        return names.filter(Site.isValid).sorted()
    }

    func batchFiles(of site: String) throws -> [BatchName] {
        let dir = root.appendingPathComponent(site, isDirectory: true)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.compactMap { name in
            Self.parseName(name).map { BatchName(first: $0.0, last: $0.1, url: dir.appendingPathComponent(name)) }
        }.sorted { ($0.first, $0.last) < ($1.first, $1.last) }
    }

    /// The highest seq reachable from 1 through the files without a hole.
    func contiguousEnd(of files: [BatchName]) -> Int64 {
        var end: Int64 = 0
        for file in files {  // sorted by first
            if file.first > end + 1 { break }
            end = max(end, file.last)
        }
        return end
    }

    /// Changes `from...through` of `site`, verified, following the files; a file that fails
    /// verification is skipped for another one covering the same seqs, else reported — after the
    /// changes before it are handed over, so one bad file never holds back the good ones.
    private func readRange(site: String, files: [BatchName], from: Int64, through: Int64) throws -> [Change] {
        var result: [Change] = []
        var next = from
        while next <= through {
            let candidates = files.filter { $0.first <= next && $0.last >= next }.sorted { $0.last > $1.last }
            guard !candidates.isEmpty else { break }
            var lastError: Error?
            var taken: [Change]?
            for file in candidates {
                do {
                    let batch = try readBatch(file.url, site: site, first: file.first, last: file.last)
                    let slice = batch.filter { $0.seq >= next && $0.seq <= through }
                    if let previous = result.last, let head = slice.first, head.prev != previous.hash {
                        throw SyncError(
                            .damaged, "the remote file \(file.url.path) does not continue the log of site \(site) at seq \(head.seq)",
                            hint: "the folder holds a forked or foreign log; remove that file if it is stray")
                    }
                    taken = slice
                    break
                } catch {
                    lastError = error
                }
            }
            guard let slice = taken else {
                // Hand over what verified so far; the next call starts at the bad file and reports it.
                if !result.isEmpty { return result }
                throw lastError!
            }
            result.append(contentsOf: slice)
            next = (slice.last?.seq ?? next) + 1
        }
        return result
    }

    /// Reads and verifies one batch file.
    func readBatch(_ url: URL, site: String, first: Int64, last: Int64) throws -> [Change] {
        func damaged(_ why: String) -> SyncError {
            SyncError(
                .damaged, "the remote file \(url.path) is damaged or foreign: \(why); it was not applied",
                hint: "remove it from the folder; a replica that holds those changes will write them again")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let size = attributes?[.size] as? Int, size > Self.maxFileBytes { throw damaged("it is too large") }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw damaged("it cannot be read") }
        let batch: BatchFile
        do {
            batch = try JSONDecoder().decode(BatchFile.self, from: data)
        } catch {
            throw damaged("it is not a Gloss batch")
        }
        guard batch.format == 1 else { throw damaged("unknown batch format \(batch.format)") }
        guard batch.site == site, batch.changes.count == Int(last - first + 1) else {
            throw damaged("its content does not match its name")
        }
        for (i, change) in batch.changes.enumerated() {
            guard change.site == site, change.seq == first + Int64(i) else { throw damaged("its content does not match its name") }
            guard change.hashIsValid else { throw damaged("change \(change.ref) fails its hash") }
            guard change.valueBytes <= Change.maxValueBytes else { throw damaged("change \(change.ref) is over the size cap") }
            if i > 0, change.prev != batch.changes[i - 1].hash { throw damaged("its hash chain is broken at \(change.ref)") }
            if change.seq == 1, !change.prev.isEmpty { throw damaged("its hash chain is broken at \(change.ref)") }
        }
        return batch.changes
    }

    private func tipHash(site: String, seq: Int64, files: [BatchName]) throws -> String {
        lock.lock()
        let tip = tips[site]
        lock.unlock()
        if let tip, tip.seq == seq { return tip.hash }
        let held = try readRange(site: site, files: files, from: seq, through: seq)
        guard let last = held.last, last.seq == seq else {
            throw SyncError(.damaged, "the remote log of site \(site) cannot be read at seq \(seq)", hint: "check the folder")
        }
        return last.hash
    }

    private func remember(site: String, seq: Int64, hash: String) {
        lock.lock()
        tips[site] = (seq, hash)
        lock.unlock()
    }

    /// Writes `data` to a temporary file in `dir`, flushes it, and links it to `url` unless
    /// that name exists. Returns false when it existed (nothing is changed then).
    private func linkNew(_ data: Data, to url: URL, in dir: URL) throws -> Bool {
        let temp = try writeTemporary(data, in: dir)
        defer { unlink(temp.path) }
        if link(temp.path, url.path) == 0 {
            syncDirectory(dir)
            return true
        }
        let error = errno
        if error == EEXIST { return false }
        if error == EPERM || error == ENOTSUP || error == EOPNOTSUPP || error == EXDEV || error == EMLINK {
            // File systems without hard links (FAT, some shares): check, then rename. The window
            // between the two is the only race left, and its worst case is a same-range file
            // replaced by another writer's copy — verified like any file on pull.
            if FileManager.default.fileExists(atPath: url.path) { return false }
            guard rename(temp.path, url.path) == 0 else { throw ioError(url) }
            syncDirectory(dir)
            return true
        }
        throw ioError(url)
    }

    private func writeAtomically(_ data: Data, to url: URL, in dir: URL) throws {
        let temp = try writeTemporary(data, in: dir)
        guard rename(temp.path, url.path) == 0 else {
            unlink(temp.path)
            throw ioError(url)
        }
        syncDirectory(dir)
    }

    private func writeTemporary(_ data: Data, in dir: URL) throws -> URL {
        let temp = dir.appendingPathComponent(".tmp-\(UUID().uuidString.lowercased())")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw ioError(temp) }
        defer { close(fd) }
        var ok = true
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    ok = false
                    return
                }
                offset += n
            }
        }
        guard ok, fsync(fd) == 0 else {
            unlink(temp.path)
            throw ioError(temp)
        }
        return temp
    }

    private func syncDirectory(_ dir: URL) {
        let fd = open(dir.path, O_RDONLY)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    private func ioError(_ url: URL) -> SyncError {
        SyncError(
            .unavailable, "cannot write \(url.path): \(String(cString: strerror(errno)))",
            hint: "check that the remote folder is writable and has free space")
    }
}
